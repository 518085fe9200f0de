"""Generates samples/northwind-tenant.json, the bundled sample tenant (Northwind Traders, fictional).

    python3 samples/generate-northwind-tenant.py samples/northwind-tenant.json

Every name and address is made up; role and application ids come from rules/facts/well-known-ids.json.
Resources keep the shapes Resource Graph, ARM and Microsoft Graph return (lower-case types from
Resource Graph, child resources ARM lists separately), including what Microsoft's own examples in
tests/Corpus show Azure leaves out: a Redis cache without minimumTlsVersion (RedisCacheGet), a key
vault without enableSoftDelete (getVault), an Entra administrator without administratorType
(ServerCreate), a Windows VM without patchSettings (VirtualMachine_Get), an NSG rule whose singular
port and prefix are "" beside the plural lists. What an absent property means is decided in
rules/facts/defaults.json. The sample gives every built-in rule at least one pass or fail: when you
add a rule, add the resources it needs here, rerun the script and commit both files (a test checks
that the committed sample is what this script writes).
"""
import json, uuid, hashlib, pathlib

# Role and application ids come from the repository's table of well-known ids, never from a copy here.
_TABLE = json.loads((pathlib.Path(__file__).resolve().parent.parent / "rules" / "facts" / "well-known-ids.json").read_text(encoding="utf-8"))

def well_known(kind, name):
    """The id of a built-in Azure role ('azure-role'), Entra role ('entra-role-template') or first-party app ('first-party-app')."""
    for entry in _TABLE["ids"]:
        if entry["kind"] == kind and entry["name"] == name:
            return entry["id"]
    raise KeyError(f"rules/facts/well-known-ids.json has no {kind} named {name!r}")

def well_known_name(id_):
    """The name the table gives an id (built-in role names are shown in messages as the table names them)."""
    for entry in _TABLE["ids"]:
        if entry["id"] == id_:
            return entry["name"]
    raise KeyError(f"rules/facts/well-known-ids.json has no id {id_!r}")

TENANT = "7f3e2d1c-4b5a-4e6f-9a8b-0c1d2e3f4a5b"
SUBS = {
    "prod": ("3b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13", "Northwind Production"),
    "dev": ("9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e57", "Northwind Development"),
    "sandbox": ("c5d7e9f1-2a4b-4c6d-8e0f-1a3b5c7d9e02", "Northwind Sandbox"),
}
COLLECTED = "2026-11-27T02:00:00Z"

def gid(*parts):
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return str(uuid.UUID(h[:32]))

res = []

# What the collector writes as the snapshot's "displayNames": the name of every principal and role
# definition a role assignment refers to (a user by its mail, else its user principal name; anything
# else by its displayName; a role by its name), keyed by object id or role definition GUID.
NAMES = {}

def principal_name(obj):
    if obj.get("type") == "microsoft.graph/users":
        return obj.get("mail") or obj["userPrincipalName"]
    return obj["displayName"]

def arm(sub, rg, provider, rtype, name, location="westeurope", props=None, **extra):
    subid = SUBS[sub][0]
    rid = f"/subscriptions/{subid}/resourceGroups/{rg}/providers/{provider}/{rtype}/{name}"
    r = {
        "id": rid,
        "name": name,
        "type": f"{provider}/{rtype}".lower(),
        "tenantId": TENANT,
        "kind": extra.pop("kind", ""),
        "location": location,
        "resourceGroup": rg,
        "subscriptionId": subid,
        "managedBy": extra.pop("managedBy", ""),
        "sku": extra.pop("sku", None),
        "plan": None,
        "tags": extra.pop("tags", {}),
        "identity": extra.pop("identity", None),
        "zones": None,
        "extendedLocation": None,
        "properties": props or {},
    }
    r.update(extra)
    res.append(r)
    return r

# ---- subscriptions (resourcecontainers) ----
for key, (sid, name) in SUBS.items():
    res.append({
        "id": f"/subscriptions/{sid}",
        "name": name,
        "type": "microsoft.resources/subscriptions",
        "tenantId": TENANT,
        "kind": "",
        "location": "",
        "resourceGroup": "",
        "subscriptionId": sid,
        "tags": {"costCenter": "CC-4410" if key == "prod" else "CC-4420"},
        "properties": {
            "state": "Enabled",
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "EnterpriseAgreement_2014-09-01", "spendingLimit": "Off"},
            "managementGroupAncestorsChain": [{"name": "northwind-platform", "displayName": "Northwind Platform"}, {"name": TENANT, "displayName": "Tenant Root Group"}],
        },
    })

def rule(name, priority, direction, access, protocol, src=None, srcs=None, dport=None, dports=None):
    return {
        "name": name,
        "id": None,
        "etag": "W/\"" + gid(name) + "\"",
        "type": "Microsoft.Network/networkSecurityGroups/securityRules",
        "properties": {
            "provisioningState": "Succeeded",
            "protocol": protocol,
            "sourcePortRange": "*",
            # ARM returns "" for the singular when the rule uses the plural list.
            "destinationPortRange": dport if dport is not None else "",
            "sourceAddressPrefix": src if src is not None else "",
            "destinationAddressPrefix": "*",
            "access": access,
            "priority": priority,
            "direction": direction,
            "sourcePortRanges": [],
            "destinationPortRanges": dports or [],
            "sourceAddressPrefixes": srcs or [],
            "destinationAddressPrefixes": [],
        },
    }

def nsg(sub, rg, name, rules):
    r = arm(sub, rg, "Microsoft.Network", "networkSecurityGroups", name, props={
        "provisioningState": "Succeeded",
        "resourceGuid": gid(name),
        "securityRules": rules,
        "defaultSecurityRules": [
            rule("AllowVnetInBound", 65000, "Inbound", "Allow", "*", src="VirtualNetwork", dport="*"),
            rule("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "*", src="AzureLoadBalancer", dport="*"),
            rule("DenyAllInBound", 65500, "Inbound", "Deny", "*", src="*", dport="*"),
        ],
    })
    for rr in rules + r["properties"]["defaultSecurityRules"]:
        kind = "securityRules" if rr in rules else "defaultSecurityRules"
        rr["id"] = r["id"] + f"/{kind}/" + rr["name"]
    return r

nsg("prod", "rg-web-prod", "nsg-web-prod", [
    rule("allow-https-internet", 100, "Inbound", "Allow", "Tcp", src="Internet", dport="443"),
    rule("allow-rdp-anywhere", 110, "Inbound", "Allow", "Tcp", src="*", dport="3389"),
])
nsg("prod", "rg-mgmt-prod", "nsg-jumphost-prod", [
    rule("allow-admin-ports", 100, "Inbound", "Allow", "Tcp", src="0.0.0.0/0", dports=["22", "3389"]),
])
nsg("prod", "rg-data-prod", "nsg-data-prod", [
    rule("allow-sql-from-vnet", 100, "Inbound", "Allow", "Tcp", src="VirtualNetwork", dport="1433"),
    rule("allow-mysql-range", 110, "Inbound", "Allow", "Tcp", src="Internet", dport="3000-4000"),
])
nsg("prod", "rg-app-prod", "nsg-app-prod", [
    rule("allow-all-inbound", 100, "Inbound", "Allow", "*", src="Any", dport="*"),
])
nsg("prod", "rg-mgmt-prod", "nsg-bastion-prod", [
    rule("allow-rdp-corp", 100, "Inbound", "Allow", "Tcp", srcs=["10.20.0.0/16", "10.30.0.0/16"], dport="3389"),
    rule("deny-internet", 4000, "Inbound", "Deny", "*", src="Internet", dport="*"),
])
nsg("dev", "rg-dev", "nsg-dev", [
    rule("allow-legacy-ops", 100, "Inbound", "Allow", "Tcp", srcs=["203.0.113.0/24", "0.0.0.0/0"], dport="20-25"),
    rule("allow-dns-udp", 110, "Inbound", "Allow", "Udp", src="*", dport="53"),
])

# ---- virtual network with subnets ----
vnet = arm("prod", "rg-network-prod", "Microsoft.Network", "virtualNetworks", "vnet-prod", props={
    "provisioningState": "Succeeded",
    "addressSpace": {"addressPrefixes": ["10.10.0.0/16"]},
    "subnets": [],
})
for sn, nsgname, rg in [("snet-web", "nsg-web-prod", "rg-web-prod"), ("snet-data", "nsg-data-prod", "rg-data-prod"), ("snet-legacy", None, None)]:
    s = {"name": sn, "id": vnet["id"] + "/subnets/" + sn, "type": "Microsoft.Network/virtualNetworks/subnets",
         "properties": {"provisioningState": "Succeeded", "addressPrefix": "10.10.%d.0/24" % len(vnet["properties"]["subnets"]), "privateEndpointNetworkPolicies": "Disabled"}}
    if nsgname:
        s["properties"]["networkSecurityGroup"] = {"id": f"/subscriptions/{SUBS['prod'][0]}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{nsgname}"}
    vnet["properties"]["subnets"].append(s)

# ---- storage ----
def storage(sub, rg, name, tls="TLS1_2", https=True, blobPublic=False, shared=False, public="Disabled", default="Deny", infra=True, tags=None):
    return arm(sub, rg, "Microsoft.Storage", "storageAccounts", name, kind="StorageV2", sku={"name": "Standard_ZRS", "tier": "Standard"}, tags=tags or {}, props={
        "provisioningState": "Succeeded",
        "creationTime": "2024-03-14T09:21:44.1234567Z",
        "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/", "file": f"https://{name}.file.core.windows.net/"},
        "minimumTlsVersion": tls,
        **({} if https is None else {"supportsHttpsTrafficOnly": https}),
        "allowBlobPublicAccess": blobPublic,
        "allowSharedKeyAccess": shared,
        "publicNetworkAccess": public,
        "networkAcls": {"bypass": "AzureServices", "virtualNetworkRules": [], "ipRules": [], "defaultAction": default},
        "encryption": {
            "requireInfrastructureEncryption": infra,
            "keySource": "Microsoft.Storage",
            "services": {"blob": {"enabled": True, "keyType": "Account", "lastEnabledTime": "2024-03-14T09:21:44.2Z"},
                         "file": {"enabled": True, "keyType": "Account", "lastEnabledTime": "2024-03-14T09:21:44.2Z"}},
        },
        "accessTier": "Hot",
    })

storage("prod", "rg-data-prod", "nwprodlogs01", https=None)  # secure transfer not stated: true by default
storage("prod", "rg-data-prod", "nwproddata01", tls="TLS1_0", blobPublic=True, public="Enabled", default="Allow", shared=True, tags={"owner": "=HYPERLINK(\"http://evil.example\",\"click\")"})
storage("dev", "rg-dev", "nwdevscratch01", https=False, public="Enabled", default="Allow", shared=True, infra=False)
storage("prod", "rg-backup-prod", "nwprodbackup01", infra=False)

# ---- SQL ----
def sqlserver(sub, rg, name, tls="1.2", public="Disabled", admin=True):
    props = {
        "administratorLogin": "nwsqladmin",
        "version": "12.0",
        "state": "Ready",
        "fullyQualifiedDomainName": f"{name}.database.windows.net",
        "privateEndpointConnections": [],
        "minimalTlsVersion": tls,
        "publicNetworkAccess": public,
        "restrictOutboundNetworkAccess": "Disabled",
    }
    if admin:
        # As Microsoft's ServerCreate example returns it: login and sid, no administratorType.
        props["administrators"] = {"principalType": "Group", "login": "sql-admins", "sid": gid("sqladmins"), "tenantId": TENANT, "azureADOnlyAuthentication": True}
    return arm(sub, rg, "Microsoft.Sql", "servers", name, kind="v12.0", props=props)

def fw(server, name, start, end):
    res.append({"id": server["id"] + "/firewallRules/" + name, "name": name, "type": "Microsoft.Sql/servers/firewallRules",
                "properties": {"startIpAddress": start, "endIpAddress": end}})

def db(server, name, tde):
    d = {"id": server["id"] + "/databases/" + name, "name": name, "type": "Microsoft.Sql/servers/databases",
         "location": server["location"], "kind": "v12.0,user" if name != "master" else "v12.0,system",
         "sku": {"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 2},
         "tags": {}, "properties": {"collation": "SQL_Latin1_General_CP1_CI_AS", "status": "Online", "databaseId": gid(name, server["name"]),
                                      "creationDate": "2024-05-02T10:11:12.000Z", "zoneRedundant": False, "requestedBackupStorageRedundancy": "Geo"}}
    res.append(d)
    res.append({"id": d["id"] + "/transparentDataEncryption/current", "name": "current",
                "type": "Microsoft.Sql/servers/databases/transparentDataEncryption", "properties": {"state": tde}})

s1 = sqlserver("prod", "rg-data-prod", "sql-nw-core-prod")
fw(s1, "AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0")
db(s1, "orders", "Enabled")
db(s1, "master", "Disabled")
s2 = sqlserver("prod", "rg-data-prod", "sql-nw-reporting-prod", tls="1.0", public="Enabled", admin=False)
fw(s2, "everyone", "0.0.0.0", "255.255.255.255")
fw(s2, "office-hq", "198.51.100.10", "198.51.100.20")
db(s2, "reporting", "Disabled")
s3 = sqlserver("dev", "rg-dev", "sql-nw-dev")
fw(s3, "office-hq", "198.51.100.10", "198.51.100.20")
db(s3, "orders-dev", "Enabled")

# ---- key vaults ----
def kv(sub, rg, name, purge=True, soft=True, rbac=True, public="Disabled", default="Deny"):
    props = {"tenantId": TENANT, "sku": {"family": "A", "name": "standard"}, "accessPolicies": [] if rbac else [
        {"tenantId": TENANT, "objectId": gid("ops"), "permissions": {"keys": ["get", "list"], "secrets": ["get", "list", "set"], "certificates": []}}],
        "enabledForDeployment": False, "enabledForDiskEncryption": False, "enabledForTemplateDeployment": False,
        **({} if soft is None else {"enableSoftDelete": soft}), "softDeleteRetentionInDays": 90, "enableRbacAuthorization": rbac,
        "vaultUri": f"https://{name}.vault.azure.net/", "provisioningState": "Succeeded", "publicNetworkAccess": public,
        "networkAcls": {"bypass": "AzureServices", "defaultAction": default, "ipRules": [], "virtualNetworkRules": []}}
    if purge:
        props["enablePurgeProtection"] = True
    return arm(sub, rg, "Microsoft.KeyVault", "vaults", name, props=props)

kv("prod", "rg-security-prod", "kv-nw-prod", soft=None)  # soft delete not stated: on by default
kv("dev", "rg-dev", "kv-nw-dev", purge=False, rbac=False, public="Enabled", default="Allow")

# ---- VMs, disks, patch assessments ----
def vm(sub, rg, name, publisher, offer, sku, ostype, patchMode, assessMode, eah=True, diskPolicy="DenyAll", cmk=False):
    subid = SUBS[sub][0]
    disk_name = f"{name}_OsDisk_1"
    disk_id = f"/subscriptions/{subid}/resourceGroups/{rg}/providers/Microsoft.Compute/disks/{disk_name}"
    if ostype == "Windows":
        windows = {"provisionVMAgent": True, "enableAutomaticUpdates": patchMode != "Manual"}
        if patchMode is not None:
            windows["patchSettings"] = {"patchMode": patchMode, "assessmentMode": assessMode, "enableHotpatching": False}
        osprof = {"computerName": name, "adminUsername": "nwadmin", "windowsConfiguration": windows, "secrets": [], "allowExtensionOperations": True}
    else:
        osprof = {"computerName": name, "adminUsername": "nwadmin", "linuxConfiguration": {"disablePasswordAuthentication": True, "provisionVMAgent": True,
                  "patchSettings": {"patchMode": patchMode, "assessmentMode": assessMode}}, "secrets": [], "allowExtensionOperations": True}
    props = {
        "vmId": gid(name),
        "hardwareProfile": {"vmSize": "Standard_D4s_v5"},
        "storageProfile": {"imageReference": {"publisher": publisher, "offer": offer, "sku": sku, "version": "latest", "exactVersion": "1.0.0"},
                           "osDisk": {"osType": ostype, "name": disk_name, "createOption": "FromImage", "caching": "ReadWrite",
                                      "managedDisk": {"storageAccountType": "Premium_LRS", "id": disk_id}, "deleteOption": "Delete", "diskSizeGB": 128},
                           "dataDisks": []},
        "osProfile": osprof,
        "networkProfile": {"networkInterfaces": [{"id": f"/subscriptions/{subid}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/{name}-nic"}]},
        "securityProfile": {"encryptionAtHost": eah, "securityType": "TrustedLaunch", "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}},
        "diagnosticsProfile": {"bootDiagnostics": {"enabled": True}},
        "provisioningState": "Succeeded",
        "extended": {"instanceView": {"computerName": name, "osName": offer, "powerState": {"code": "PowerState/running", "displayStatus": "VM running"}}},
    }
    if not eah:
        del props["securityProfile"]["encryptionAtHost"]
    v = arm(sub, rg, "Microsoft.Compute", "virtualMachines", name, props=props, identity={"type": "SystemAssigned", "principalId": gid("mi", name), "tenantId": TENANT})
    enc = {"type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSetId": f"/subscriptions/{subid}/resourceGroups/rg-security-prod/providers/Microsoft.Compute/diskEncryptionSets/des-nw"} if cmk else {"type": "EncryptionAtRestWithPlatformKey"}
    arm(sub, rg, "Microsoft.Compute", "disks", disk_name, managedBy=v["id"], sku={"name": "Premium_LRS", "tier": "Premium"}, props={
        "osType": ostype, "hyperVGeneration": "V2", "creationData": {"createOption": "FromImage", "imageReference": {"id": f"/Subscriptions/{subid}/Providers/Microsoft.Compute/Locations/westeurope/Publishers/{publisher}/ArtifactTypes/VMImage/Offers/{offer}/Skus/{sku}/Versions/1.0.0"}},
        "diskSizeGB": 128, "diskIOPSReadWrite": 500, "diskMBpsReadWrite": 100, "encryption": enc, "networkAccessPolicy": diskPolicy,
        "publicNetworkAccess": "Disabled" if diskPolicy != "AllowAll" else "Enabled", "timeCreated": "2024-06-01T08:00:00.0000000+00:00", "provisioningState": "Succeeded", "diskState": "Attached", "diskSizeBytes": 137438953472})
    return v

def assessment(v, when, critical=0, security=0, other=0, reboot=False, status="Succeeded"):
    res.append({
        "id": v["id"] + "/patchAssessmentResults/latest",
        "name": gid("assess", v["name"], when),
        "type": "microsoft.compute/virtualmachines/patchassessmentresults",
        "tenantId": TENANT, "kind": "", "location": v["location"], "resourceGroup": v["resourceGroup"], "subscriptionId": v["subscriptionId"],
        "properties": {"rebootPending": reboot, "patchServiceUsed": "WU" if "Windows" in v["properties"]["storageProfile"]["osDisk"]["osType"] else "APT",
                       "osType": v["properties"]["storageProfile"]["osDisk"]["osType"], "startedBy": "Platform", "status": status,
                       "lastModifiedDateTime": when, "startDateTime": when,
                       "availablePatchCountByClassification": {"security": security, "critical": critical, "definition": 0, "updateRollup": 0, "featurePack": 0, "servicePack": 0, "tools": 0, "updates": other, "other": 0}},
    })

v1 = vm("prod", "rg-web-prod", "vm-nw-web-01", "MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition", "Windows", "AutomaticByPlatform", "AutomaticByPlatform", cmk=True)
assessment(v1, "2026-11-26T03:12:40.412Z")
# No patchSettings, automatic updates on: AutomaticByOS, the default for Windows (VirtualMachine_Get shape).
v2 = vm("prod", "rg-web-prod", "vm-nw-web-02", "MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter", "Windows", None, None, eah=False)
assessment(v2, "2026-11-25T22:40:05.118Z", critical=1, security=3, other=4, reboot=True)
v3 = vm("prod", "rg-mgmt-prod", "vm-nw-jump-01", "Canonical", "UbuntuServer", "18.04-LTS", "Linux", "ImageDefault", "ImageDefault", diskPolicy="AllowAll")
v4 = vm("prod", "rg-app-prod", "vm-nw-app-01", "Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", "Linux", "AutomaticByPlatform", "AutomaticByPlatform")
assessment(v4, "2026-11-06T04:00:00.000Z")
v5 = vm("dev", "rg-dev", "vm-nw-dev-01", "OpenLogic", "CentOS", "7_9-gen2", "Linux", "ImageDefault", "ImageDefault", eah=False)
assessment(v5, "2026-11-26T11:30:00.000Z", security=12, other=30)

# ---- role definitions and assignments ----
OWNER = well_known("azure-role", "Owner")
UAA = well_known("azure-role", "User Access Administrator")
CONTRIB = well_known("azure-role", "Contributor")
READER = well_known("azure-role", "Reader")

def roledef(sub, name, roleName, actions, custom=True):
    subid = SUBS[sub][0]
    NAMES[name] = roleName
    res.append({"id": f"/subscriptions/{subid}/providers/Microsoft.Authorization/roleDefinitions/{name}", "name": name,
                "type": "microsoft.authorization/roledefinitions", "tenantId": TENANT, "kind": "", "location": "", "resourceGroup": "", "subscriptionId": subid,
                "properties": {"roleName": roleName, "type": "CustomRole" if custom else "BuiltInRole", "description": f"{roleName} (Northwind)",
                               "assignableScopes": [f"/subscriptions/{subid}"], "permissions": [{"actions": actions, "notActions": [], "dataActions": [], "notDataActions": []}],
                               "createdOn": "2025-02-10T12:00:00.0000000Z", "updatedOn": "2025-02-10T12:00:00.0000000Z", "createdBy": gid("creator"), "updatedBy": gid("creator")}})

roledef("prod", gid("role", "ops-everything"), "Northwind Ops Everything", ["*"])
roledef("prod", gid("role", "vm-operator"), "Northwind VM Operator", ["Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/restart/action", "Microsoft.Compute/virtualMachines/read"])

USERS = {}
PRINCIPALS = {gid("user", "breakglass"): "breakglass@northwindtraders.onmicrosoft.com"}  # a member account the guest-only user list leaves out
def user(key, upn, display, utype="Member", enabled=True, last=None, created="2023-01-15T09:00:00Z"):
    oid = gid("user", key)
    u = {"id": oid, "displayName": display, "userPrincipalName": upn, "userType": utype, "accountEnabled": enabled,
         "createdDateTime": created, "mail": upn if utype == "Member" else upn.split("#EXT#")[0].replace("_", "@"),
         "externalUserState": "Accepted" if utype == "Guest" else None,
         "signInActivity": {"lastSignInDateTime": last, "lastNonInteractiveSignInDateTime": last, "lastSuccessfulSignInDateTime": last} if last else None,
         "type": "microsoft.graph/users"}
    USERS[key] = u
    PRINCIPALS[oid] = principal_name(u)
    res.append(u)
    return u

def assign(sub, key, principal, ptype, role, scope=None, tenant_form=False):
    """A role assignment; tenant_form writes the roleDefinitionId as /providers/…, the form of Microsoft's RoleAssignments_ListForScope example."""
    subid = SUBS[sub][0]
    aid = gid("ra", sub, key)
    NAMES.setdefault(role, NAMES.get(role) or well_known_name(role))
    NAMES.setdefault(principal, PRINCIPALS[principal])
    scope = scope or f"/subscriptions/{subid}"
    res.append({"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{aid}", "name": aid,
                "type": "microsoft.authorization/roleassignments", "tenantId": TENANT, "kind": "", "location": "", "resourceGroup": "", "subscriptionId": subid,
                "properties": {"roleDefinitionId": (f"/providers/Microsoft.Authorization/roleDefinitions/{role}" if tenant_form else f"/subscriptions/{subid}/providers/Microsoft.Authorization/roleDefinitions/{role}"),
                               "principalId": principal, "principalType": ptype, "scope": scope,
                               "createdOn": "2025-06-01T10:00:00.0000000Z", "updatedOn": "2025-06-01T10:00:00.0000000Z", "createdBy": gid("creator"), "updatedBy": gid("creator")}})

# ---- Entra: organization, users ----
res.append({"id": TENANT, "type": "microsoft.graph/organization", "displayName": "Northwind Traders", "tenantType": "AAD",
            "countryLetterCode": "NL", "createdDateTime": "2019-04-02T08:30:00Z", "onPremisesSyncEnabled": None,
            "verifiedDomains": [{"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": True, "isInitial": False, "name": "northwind.example", "type": "Managed"},
                                {"capabilities": "Email", "isDefault": False, "isInitial": True, "name": "northwindtraders.onmicrosoft.com", "type": "Managed"}]})

anna = user("anna", "anna.devries@northwind.example", "Anna de Vries", last="2026-11-26T08:15:00Z")
bram = user("bram", "bram.jansen@northwind.example", "Bram Jansen", last="2026-11-25T16:40:00Z")
carla = user("carla", "carla.smit@northwind.example", "Carla Smit", last="2026-11-20T10:02:00Z")
daan = user("daan", "daan.visser@northwind.example", "Daan Visser", last="2026-11-26T07:55:00Z")
eva = user("eva", "eva.bakker@northwind.example", "Eva Bakker", last="2026-10-30T12:00:00Z")
finn = user("finn", "finn.mulder@northwind.example", "Finn Mulder", enabled=False, last="2026-05-02T09:00:00Z")
g1 = user("guest-auditor", "kim_auditfirm.example#EXT#@northwindtraders.onmicrosoft.com", "Kim (Audit Firm)", utype="Guest", last="2026-11-18T14:00:00Z")
g2 = user("guest-contractor", "lee_oldvendor.example#EXT#@northwindtraders.onmicrosoft.com", "Lee (Old Vendor)", utype="Guest", last="2026-04-11T09:30:00Z", created="2025-01-10T09:00:00Z")

def reg(u, admin, mfa, methods):
    res.append({"id": u["id"], "type": "microsoft.graph/userRegistrationDetails", "userPrincipalName": u["userPrincipalName"], "userDisplayName": u["displayName"],
                "userType": u["userType"].lower(), "isAdmin": admin, "isSsprRegistered": mfa, "isSsprEnabled": True, "isSsprCapable": mfa,
                "isMfaRegistered": mfa, "isMfaCapable": mfa, "isPasswordlessCapable": "fido2" in methods, "methodsRegistered": methods,
                "isSystemPreferredAuthenticationMethodEnabled": True, "systemPreferredAuthenticationMethods": methods[:1],
                "userPreferredMethodForSecondaryAuthentication": methods[0] if methods else "none", "lastUpdatedDateTime": "2026-11-26T23:10:00Z"})

reg(anna, True, True, ["microsoftAuthenticatorPush", "fido2"])
reg(bram, True, False, [])
reg(carla, False, True, ["microsoftAuthenticatorPush"])
reg(daan, True, True, ["microsoftAuthenticatorPush", "softwareOneTimePasscode"])
reg(eva, False, False, ["email"])
reg(finn, False, True, ["mobilePhone"])

# ---- conditional access ----
AZURE_MGMT = well_known("first-party-app", "Windows Azure Service Management API")
def ca(name, state, users, apps, grant, clientApps=("all",), roles=(), risk=()):
    res.append({"id": gid("ca", name), "type": "microsoft.graph/conditionalAccessPolicies", "displayName": name, "state": state,
                "createdDateTime": "2025-03-01T10:00:00Z", "modifiedDateTime": "2026-09-12T14:30:00Z", "templateId": None,
                "conditions": {"userRiskLevels": [], "signInRiskLevels": list(risk), "clientAppTypes": list(clientApps), "servicePrincipalRiskLevels": [],
                               "platforms": None, "locations": None, "devices": None, "clientApplications": None,
                               "applications": {"includeApplications": apps, "excludeApplications": [], "includeUserActions": [], "includeAuthenticationContextClassReferences": [], "applicationFilter": None},
                               "users": {"includeUsers": users, "excludeUsers": [], "includeGroups": [], "excludeGroups": [gid("group", "breakglass")], "includeRoles": list(roles), "excludeRoles": [], "includeGuestsOrExternalUsers": None, "excludeGuestsOrExternalUsers": None}},
                "grantControls": {"operator": "OR", "builtInControls": grant, "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": None},
                "sessionControls": None})

ca("CA001 Require MFA for all users", "enabled", ["All"], ["All"], ["mfa"])
ca("CA002 Block legacy authentication", "enabledForReportingButNotEnforced", ["All"], ["All"], ["block"], clientApps=("exchangeActiveSync", "other"))
ca("CA003 Require MFA for Azure management", "disabled", ["All"], [AZURE_MGMT], ["mfa"])

# ---- directory roles ----
GA = well_known("entra-role-template", "Global Administrator")
PRA = well_known("entra-role-template", "Privileged Role Administrator")
def dirrole(key, principal, role):
    NAMES.setdefault(role, well_known_name(role))
    NAMES.setdefault(principal, PRINCIPALS[principal])
    res.append({"id": gid("dra", key), "type": "microsoft.graph/roleAssignments", "roleDefinitionId": role, "principalId": principal,
                "directoryScopeId": "/", "appScopeId": None})
for k in ["anna", "bram", "daan"]:
    dirrole("ga-" + k, USERS[k]["id"], GA)
dirrole("ga-breakglass", gid("user", "breakglass"), GA)
dirrole("ga-carla", carla["id"], GA)
dirrole("pra-daan", daan["id"], PRA)

# ---- applications and service principals ----
def app(name, passwords=(), keys=()):
    appid = gid("appid", name)
    res.append({"id": gid("app", name), "appId": appid, "type": "microsoft.graph/applications", "displayName": name, "createdDateTime": "2024-02-01T09:00:00Z",
                "signInAudience": "AzureADMyOrg",
                "passwordCredentials": [{"customKeyIdentifier": None, "displayName": d, "endDateTime": e, "hint": "Q~x", "keyId": gid("pw", name, d), "secretText": None, "startDateTime": s} for d, s, e in passwords],
                "keyCredentials": [{"customKeyIdentifier": "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", "displayName": d, "endDateTime": e, "key": None, "keyId": gid("key", name, d), "startDateTime": s, "type": "AsymmetricX509Cert", "usage": "Verify"} for d, s, e in keys]})
    sp = {"id": gid("sp", name), "appId": appid, "type": "microsoft.graph/servicePrincipals", "displayName": name, "servicePrincipalType": "Application",
          "accountEnabled": True, "appOwnerOrganizationId": TENANT, "passwordCredentials": [], "keyCredentials": []}
    res.append(sp)
    PRINCIPALS[sp["id"]] = principal_name(sp)
    return sp

sp_deploy = app("nw-deploy-pipeline", passwords=[("pipeline", "2025-12-01T00:00:00Z", "2026-05-31T00:00:00Z")])
sp_billing = app("nw-billing-sync", passwords=[("long-lived", "2025-01-01T00:00:00Z", "2027-12-31T00:00:00Z")])
sp_portal = app("nw-customer-portal", keys=[("portal-cert", "2026-06-01T00:00:00Z", "2027-05-31T00:00:00Z")])

# subscription role assignments
assign("prod", "owner-anna", anna["id"], "User", OWNER)
assign("prod", "owner-daan", daan["id"], "User", OWNER, tenant_form=True)
assign("prod", "owner-bram", bram["id"], "User", OWNER)
assign("prod", "owner-deploy", sp_deploy["id"], "ServicePrincipal", OWNER)
assign("prod", "uaa-contractor", g2["id"], "User", UAA)
assign("prod", "reader-auditor", g1["id"], "User", READER)
assign("prod", "contrib-carla-rg", carla["id"], "User", CONTRIB, scope=f"/subscriptions/{SUBS['prod'][0]}/resourceGroups/rg-app-prod")
assign("dev", "owner-eva", eva["id"], "User", OWNER)
assign("dev", "contrib-billing", sp_billing["id"], "ServicePrincipal", CONTRIB)

# ---- an inactive member account ----
gert = user("gert", "gert.dekker@northwind.example", "Gert Dekker", last="2026-05-20T08:00:00Z")

# ---- hub network: gateway and firewall subnets are exempt from the NSG rule ----
hub = arm("prod", "rg-network-prod", "Microsoft.Network", "virtualNetworks", "vnet-hub", props={
    "provisioningState": "Succeeded",
    "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
    "subnets": [],
})
for i, (sn, nsgname, rg) in enumerate([("GatewaySubnet", None, None), ("AzureFirewallSubnet", None, None), ("snet-shared", "nsg-bastion-prod", "rg-mgmt-prod")]):
    s = {"name": sn, "id": hub["id"] + "/subnets/" + sn, "type": "Microsoft.Network/virtualNetworks/subnets",
         "properties": {"provisioningState": "Succeeded", "addressPrefix": "10.0.%d.0/24" % i, "privateEndpointNetworkPolicies": "Disabled"}}
    if nsgname:
        s["properties"]["networkSecurityGroup"] = {"id": f"/subscriptions/{SUBS['prod'][0]}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{nsgname}"}
    hub["properties"]["subnets"].append(s)

# ---- flow logs (Network Watcher) ----
watcher = arm("prod", "NetworkWatcherRG", "Microsoft.Network", "networkWatchers", "NetworkWatcher_westeurope", props={"provisioningState": "Succeeded"})
def flowlog(name, target, days, enabled=True):
    res.append({"id": watcher["id"] + "/flowLogs/" + name, "name": name, "type": "microsoft.network/networkwatchers/flowlogs",
                "tenantId": TENANT, "kind": "", "location": "westeurope", "resourceGroup": "NetworkWatcherRG", "subscriptionId": SUBS["prod"][0],
                "properties": {"provisioningState": "Succeeded", "targetResourceId": target, "targetResourceGuid": gid(target),
                               "storageId": f"/subscriptions/{SUBS['prod'][0]}/resourceGroups/rg-data-prod/providers/Microsoft.Storage/storageAccounts/nwprodlogs01",
                               "enabled": enabled, "format": {"type": "JSON", "version": 2}, **({} if days is None else {"retentionPolicy": {"days": days, "enabled": True}}),
                               "flowAnalyticsConfiguration": {"networkWatcherFlowAnalyticsConfiguration": {"enabled": False}}}})
nsg_id = lambda rg, name: f"/subscriptions/{SUBS['prod'][0]}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{name}"
flowlog("fl-nsg-web-prod", nsg_id("rg-web-prod", "nsg-web-prod"), 30)
flowlog("fl-nsg-data-prod", nsg_id("rg-data-prod", "nsg-data-prod"), 365)
flowlog("fl-vnet-prod", vnet["id"], None)  # no retention policy: nothing is deleted

# ---- Cosmos DB ----
def cosmos(sub, rg, name, public, vnet_filter, ip_rules, tls):
    return arm(sub, rg, "Microsoft.DocumentDB", "databaseAccounts", name, kind="GlobalDocumentDB", props={
        "provisioningState": "Succeeded", "documentEndpoint": f"https://{name}.documents.azure.com:443/", "databaseAccountOfferType": "Standard",
        "publicNetworkAccess": public, "isVirtualNetworkFilterEnabled": vnet_filter, "virtualNetworkRules": [],
        "ipRules": [{"ipAddressOrRange": ip} for ip in ip_rules], **({} if tls is None else {"minimalTlsVersion": tls}), "disableLocalAuth": False,
        "consistencyPolicy": {"defaultConsistencyLevel": "Session"}, "locations": [{"locationName": "West Europe", "failoverPriority": 0}]})
cosmos("prod", "rg-data-prod", "cosmos-nw-catalog", "Enabled", False, [], "Tls")
cosmos("prod", "rg-data-prod", "cosmos-nw-orders", "Disabled", False, [], None)  # minimal TLS not stated: Tls12 by default

# ---- PostgreSQL and MySQL flexible servers (firewall rules and server parameters are ARM child resources) ----
def flexible(sub, rg, provider, name, version, public, sku):
    props = {"administratorLogin": "nwdbadmin", "version": version, "state": "Ready",
             "fullyQualifiedDomainName": f"{name}.{'postgres' if 'PostgreSQL' in provider else 'mysql'}.database.azure.com",
             "storage": {"storageSizeGB": 128}, "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"},
             "network": {"publicNetworkAccess": public}, "highAvailability": {"mode": "Disabled"}}
    if public == "Disabled":
        props["network"]["delegatedSubnetResourceId"] = vnet["id"] + "/subnets/snet-data"
    return arm(sub, rg, provider, "flexibleServers", name, sku={"name": sku, "tier": "GeneralPurpose"}, props=props)

def flex_child_type(server, child):
    provider = "Microsoft.DBforPostgreSQL" if "postgresql" in server["type"] else "Microsoft.DBforMySQL"
    return f"{provider}/flexibleServers/{child}"

def flex_fw(server, name, start, end):
    res.append({"id": server["id"] + "/firewallRules/" + name, "name": name, "type": flex_child_type(server, "firewallRules"),
                "properties": {"startIpAddress": start, "endIpAddress": end}})

def flex_cfg(server, name, value, default):
    res.append({"id": server["id"] + "/configurations/" + name, "name": name, "type": flex_child_type(server, "configurations"),
                "properties": {"value": value, "defaultValue": default, "source": "user-override" if value != default else "system-default", "isReadOnly": False}})

pg1 = flexible("prod", "rg-data-prod", "Microsoft.DBforPostgreSQL", "psql-nw-analytics", "11", "Enabled", "Standard_D2ds_v5")
flex_fw(pg1, "AllowAll_2025-3-4_10-2-11", "0.0.0.0", "255.255.255.255")
flex_fw(pg1, "AllowAllAzureServicesAndResourcesWithinAzureIps_2025-3-4_10-2-11", "0.0.0.0", "0.0.0.0")
flex_cfg(pg1, "require_secure_transport", "off", "on")
flex_cfg(pg1, "ssl_min_protocol_version", "TLSv1.2", "TLSv1.2")
pg2 = flexible("prod", "rg-data-prod", "Microsoft.DBforPostgreSQL", "psql-nw-inventory", "16", "Disabled", "Standard_D4ds_v5")
flex_cfg(pg2, "require_secure_transport", "on", "on")
flex_cfg(pg2, "ssl_min_protocol_version", "TLSv1.3", "TLSv1.2")
my1 = flexible("dev", "rg-dev", "Microsoft.DBforMySQL", "mysql-nw-legacy", "5.7", "Enabled", "Standard_B1ms")
flex_fw(my1, "everyone", "0.0.0.0", "255.255.255.255")
flex_cfg(my1, "require_secure_transport", "OFF", "ON")
flex_cfg(my1, "tls_version", "TLSv1,TLSv1.1,TLSv1.2", "TLSv1.2")
my2 = flexible("prod", "rg-web-prod", "Microsoft.DBforMySQL", "mysql-nw-shop", "8.0.21", "Enabled", "Standard_D2ds_v4")
flex_fw(my2, "AllowAllAzureServicesAndResourcesWithinAzureIps_2025-6-1_9-0-0", "0.0.0.0", "0.0.0.0")
flex_fw(my2, "office-hq", "198.51.100.10", "198.51.100.20")
flex_cfg(my2, "require_secure_transport", "ON", "ON")
flex_cfg(my2, "tls_version", "TLSv1.2,TLSv1.3", "TLSv1.2")

# ---- Azure Cache for Redis ----
def redis(sub, rg, name, non_tls, tls):
    return arm(sub, rg, "Microsoft.Cache", "redis", name, props={
        "provisioningState": "Succeeded", "redisVersion": "6.0", "sku": {"name": "Standard", "family": "C", "capacity": 1},
        "enableNonSslPort": non_tls, **({} if tls is None else {"minimumTlsVersion": tls}), "publicNetworkAccess": "Enabled",
        "hostName": f"{name}.redis.cache.windows.net", "port": 6379, "sslPort": 6380})
redis("prod", "rg-web-prod", "redis-nw-sessions", True, "1.0")
redis("prod", "rg-web-prod", "redis-nw-cache", False, None)  # no minimum stated: TLS 1.2 by default

# ---- App Service and Function apps (site config is the ARM child resource config/web) ----
def site(sub, rg, name, kind, https, **config):
    s = arm(sub, rg, "Microsoft.Web", "sites", name, kind=kind, identity={"type": "SystemAssigned", "principalId": gid("mi", name), "tenantId": TENANT}, props={
        "state": "Running", "enabled": True, "httpsOnly": https, "defaultHostName": f"{name}.azurewebsites.net", "reserved": "linux" in kind,
        "serverFarmId": f"/subscriptions/{SUBS[sub][0]}/resourceGroups/{rg}/providers/Microsoft.Web/serverfarms/asp-{name}",
        "publicNetworkAccess": "Enabled", "clientCertEnabled": False})
    cfg = {"numberOfWorkers": 1, "linuxFxVersion": "", "windowsFxVersion": None, "netFrameworkVersion": "v4.0", "phpVersion": "", "pythonVersion": "",
           "nodeVersion": "", "javaVersion": None, "http20Enabled": True, "minTlsVersion": "1.2", "scmMinTlsVersion": "1.2", "ftpsState": "FtpsOnly",
           "remoteDebuggingEnabled": False, "alwaysOn": True}
    cfg.update(config)
    res.append({"id": s["id"] + "/config/web", "name": name, "type": "Microsoft.Web/sites/config", "location": s["location"], "properties": cfg})
    return s

site("prod", "rg-web-prod", "app-nw-shop-prod", "app,linux", True, linuxFxVersion="PYTHON|3.12")
site("prod", "rg-web-prod", "app-nw-legacy-portal", "app", False, netFrameworkVersion="v6.0", minTlsVersion="1.0", ftpsState="AllAllowed")
site("prod", "rg-app-prod", "func-nw-orders", "functionapp,linux", True, linuxFxVersion="Node|14", ftpsState="Disabled")
site("dev", "rg-dev", "func-nw-billing", "functionapp", True, netFrameworkVersion="v10.0", ftpsState="Disabled")

# ---- AKS ----
def aks(sub, rg, name, version, channel, node_channel):
    return arm(sub, rg, "Microsoft.ContainerService", "managedClusters", name, sku={"name": "Base", "tier": "Standard"}, identity={"type": "SystemAssigned"}, props={
        "provisioningState": "Succeeded", "kubernetesVersion": version, "currentKubernetesVersion": version, "dnsPrefix": name,
        "enableRBAC": True, "aadProfile": {"managed": True, "enableAzureRBAC": True}, "disableLocalAccounts": True,
        "autoUpgradeProfile": {"upgradeChannel": channel, "nodeOSUpgradeChannel": node_channel},
        "agentPoolProfiles": [{"name": "system", "count": 3, "vmSize": "Standard_D4ds_v5", "osType": "Linux", "osSKU": "AzureLinux", "mode": "System", "orchestratorVersion": version}],
        "networkProfile": {"networkPlugin": "azure", "networkPolicy": "cilium"}})
aks("prod", "rg-aks-prod", "aks-nw-prod", "1.34.1", "patch", "NodeImage")
aks("dev", "rg-dev", "aks-nw-dev", "1.29.4", "none", "None")

# ---- virtual machine scale sets ----
def vmss(sub, rg, name, mode, auto):
    return arm(sub, rg, "Microsoft.Compute", "virtualMachineScaleSets", name, sku={"name": "Standard_D2s_v5", "tier": "Standard", "capacity": 3}, props={
        "provisioningState": "Succeeded", "orchestrationMode": "Uniform", "uniqueId": gid(name),
        "upgradePolicy": {"mode": mode, "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": auto}},
        "virtualMachineProfile": {"storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"}}}})
vmss("prod", "rg-batch-prod", "vmss-nw-batch", "Manual", False)
vmss("prod", "rg-web-prod", "vmss-nw-web", "Rolling", True)

snapshot = {
    "schemaVersion": 1,
    "tenantId": TENANT,
    "collectedAt": COLLECTED,
    "displayNames": dict(sorted(NAMES.items())),
    "collector": {"name": "sample", "note": "Fictional tenant for demos and tests: Northwind Traders. Every id, name and address is made up."},
    "scopes": [
        {"id": f"/subscriptions/{SUBS['prod'][0]}", "displayName": SUBS["prod"][1], "status": "ok"},
        {"id": f"/subscriptions/{SUBS['dev'][0]}", "displayName": SUBS["dev"][1], "status": "ok"},
        {"id": f"/subscriptions/{SUBS['sandbox'][0]}", "displayName": SUBS["sandbox"][1], "status": "error",
         "error": "403 AuthorizationFailed on subscription 'Northwind Sandbox' (c5d7e9f1-2a4b-4c6d-8e0f-1a3b5c7d9e02): the scanner's identity needs the Reader role"},
        {"id": f"/tenants/{TENANT}", "displayName": "Northwind Traders (Entra ID)", "status": "ok"},
    ],
    "resources": res,
}
import sys
json.dump(snapshot, open(sys.argv[1], "w"), indent=2)
print(len(res), "resources")
