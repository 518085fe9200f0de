#!/bin/sh
# After `azd provision` (and so `azd up`): what a resource-group deployment cannot grant the app's
# managed identity — Reader on the management group that holds the subscriptions to scan, and the
# Microsoft Graph application permissions the rule packs need — and, on request, the API app
# registration with the Findings.Read and Evidence.Read app roles. Each step that the signed-in
# deployer has no right to do is not an error: the exact commands are printed for someone who has
# the rights (an Owner / User Access Administrator of the management group; a Privileged Role
# Administrator or Global Administrator for Graph permissions).
#
# Reads the azd environment (outputs of infra/main.bicep and `azd env set` values):
#   COMPLIANCE_IDENTITY_PRINCIPAL_ID  the app's managed identity (output)
#   COMPLIANCE_SCAN_TENANT_ID         the tenant to scan (output); COMPLIANCE_HOME_TENANT_ID the deployment's
#   COMPLIANCE_MANAGEMENT_GROUP       the management group to read (default: the tenant root group, whose id is the tenant id)
#   COMPLIANCE_GRAPH_PERMISSIONS      space-separated application permissions (default: all the built-in packs use)
#   COMPLIANCE_CREATE_API_APP         "true": create the API app registration with its app roles
#   COMPLIANCE_FUNCTION_APP_NAME, AZURE_RESOURCE_GROUP  where to set the API settings
set -eu

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000   # Microsoft Graph (well-known first-party app id)
READER_ROLE=acdd72a7-3385-48ef-bd42-f606fba81ae7     # Reader (Azure built-in role id)

principal="${COMPLIANCE_IDENTITY_PRINCIPAL_ID:?the provision outputs are missing: run azd provision first}"
home_tenant="${COMPLIANCE_HOME_TENANT_ID:-}"
scan_tenant="${COMPLIANCE_SCAN_TENANT_ID:-$home_tenant}"
group="${COMPLIANCE_MANAGEMENT_GROUP:-$scan_tenant}"
permissions="${COMPLIANCE_GRAPH_PERMISSIONS:-Organization.Read.All Policy.Read.All AuditLog.Read.All User.Read.All RoleManagement.Read.Directory Application.Read.All}"
graph_url="${COMPLIANCE_GRAPH_URL:-https://graph.microsoft.com}"
pending=""

# Adds a command to the list printed at the end for someone with the rights.
later() {
  pending="${pending}
  $1"
}

if [ -n "$home_tenant" ] && [ "$scan_tenant" != "$home_tenant" ] && [ -z "${COMPLIANCE_CROSS_TENANT_APP_ID:-}" ]; then
  echo "The tenant to scan ($scan_tenant) is not the deployment's ($home_tenant): a managed identity has tokens for its own tenant only." >&2
  echo "Create the multitenant app that trusts it (README, 'Scanning another tenant'), then: azd env set COMPLIANCE_CROSS_TENANT_APP_ID <appId> && azd provision" >&2
fi

echo "Reader for the app's identity on management group '$group' …"
scope="/providers/Microsoft.Management/managementGroups/$group"
reader="az role assignment create --assignee-object-id $principal --assignee-principal-type ServicePrincipal --role $READER_ROLE --scope $scope"
if [ "$scan_tenant" != "$home_tenant" ] && [ -n "$home_tenant" ]; then
  echo "  skipped: the identity that reads the other tenant is the multitenant app's service principal there; assign Reader to it in that tenant." >&2
  later "az role assignment create --assignee <the multitenant app's appId> --role $READER_ROLE --scope $scope   # signed in to tenant $scan_tenant"
elif az role assignment create --assignee-object-id "$principal" --assignee-principal-type ServicePrincipal --role "$READER_ROLE" --scope "$scope" --output none 2>/dev/null; then
  echo "  done"
else
  echo "  not done: you cannot assign roles on $scope" >&2
  later "$reader"
fi

echo "Microsoft Graph application permissions for the app's identity: $permissions …"
graph_sp=""
if [ "$scan_tenant" = "$home_tenant" ] || [ -z "$home_tenant" ]; then
  graph_sp=$(az ad sp show --id "$GRAPH_APP_ID" --query id --output tsv 2>/dev/null || true)
fi
for permission in $permissions; do
  role=""
  if [ -n "$graph_sp" ]; then
    role=$(az ad sp show --id "$GRAPH_APP_ID" --query "appRoles[?value=='$permission'].id | [0]" --output tsv 2>/dev/null || true)
  fi
  grant="graph=\$(az ad sp show --id $GRAPH_APP_ID --query id -o tsv); role=\$(az ad sp show --id $GRAPH_APP_ID --query \"appRoles[?value=='$permission'].id | [0]\" -o tsv); az rest --method post --url $graph_url/v1.0/servicePrincipals/$principal/appRoleAssignments --body \"{\\\"principalId\\\":\\\"$principal\\\",\\\"resourceId\\\":\\\"\$graph\\\",\\\"appRoleId\\\":\\\"\$role\\\"}\""
  if [ -z "$role" ]; then
    echo "  $permission: not done (Microsoft Graph's service principal cannot be read here)" >&2
    later "$grant"
    continue
  fi

  existing=$(az rest --method get --url "$graph_url/v1.0/servicePrincipals/$principal/appRoleAssignments" --query "value[?appRoleId=='$role'].id | [0]" --output tsv 2>/dev/null || true)
  if [ -n "$existing" ]; then
    echo "  $permission: already granted"
  elif az rest --method post --url "$graph_url/v1.0/servicePrincipals/$principal/appRoleAssignments" \
      --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role\"}" --output none 2>/dev/null; then
    echo "  $permission: granted"
  else
    echo "  $permission: not done (granting application permissions needs Privileged Role Administrator or Global Administrator)" >&2
    later "$grant"
  fi
done

if [ "${COMPLIANCE_CREATE_API_APP:-false}" = "true" ]; then
  echo "API app registration with the app roles Findings.Read and Evidence.Read …"
  roles_file=$(mktemp)
  cat >"$roles_file" <<'ROLES'
[
  { "allowedMemberTypes": ["User", "Application"], "description": "Read runs and findings of the compliance scanner", "displayName": "Findings.Read", "isEnabled": true, "value": "Findings.Read" },
  { "allowedMemberTypes": ["User", "Application"], "description": "Download the evidence files (findings.csv, controls.csv, manifest.json) of the compliance scanner", "displayName": "Evidence.Read", "isEnabled": true, "value": "Evidence.Read" }
]
ROLES
  app_name="${COMPLIANCE_API_APP_NAME:-compliance-scanner-api}"
  if app_id=$(az ad app create --display-name "$app_name" --sign-in-audience AzureADMyOrg --app-roles "@$roles_file" --query appId --output tsv 2>/dev/null); then
    az ad app update --id "$app_id" --identifier-uris "api://$app_id" --set api.requestedAccessTokenVersion=2 --output none 2>/dev/null || later "az ad app update --id $app_id --identifier-uris api://$app_id --set api.requestedAccessTokenVersion=2"
    az ad sp create --id "$app_id" --output none 2>/dev/null || later "az ad sp create --id $app_id"
    azd env set COMPLIANCE_API_AUDIENCES "$app_id,api://$app_id"
    echo "  created $app_name ($app_id); run 'azd provision' once more to set Api__Entra__* on the app"
  else
    echo "  not done: you cannot create app registrations" >&2
    later "az ad app create --display-name $app_name --sign-in-audience AzureADMyOrg --app-roles @roles.json   # roles.json: Findings.Read and Evidence.Read (README, 'The API with Entra ID')"
  fi
  rm -f "$roles_file"
fi

if [ -n "$pending" ]; then
  echo ""
  echo "Not everything could be granted with your rights. Ask someone who has them to run:$pending"
  echo ""
  echo "The app runs meanwhile: what it cannot read is reported as an error, never as compliant."
fi
