// The Compliance Function App and what it needs, in one resource group:
//   - a user-assigned managed identity: the app's only identity (storage, queues, Key Vault, ARM, Graph);
//   - a storage account without shared keys: the Functions host (AzureWebJobsStorage, the scope queue),
//     the report store (tables), evidence and large findings (blobs), the deployment package, the
//     Resource Graph quota bucket shared by the instances;
//   - a Key Vault (RBAC) for the Teams webhook URL and the evidence-signing key;
//   - a Log Analytics workspace with Application Insights, diagnostic settings of the storage account
//     and the vault, and alert rules (poisoned scope scans, incomplete runs, failed notifications);
//   - a Flex Consumption plan and the Function App (.NET 10 isolated);
//   - optionally: the Log Analytics export of findings (data collection endpoint, rule, custom table),
//     and private networking (a virtual network, private endpoints and DNS zones for storage and the vault).
// What a resource-group deployment cannot grant — Reader on the subscriptions to scan and the
// Microsoft Graph application permissions — is done by the post-provision hook (infra/hooks/postprovision.sh,
// run by `azd up`) or by hand (README, "Deploy to Azure").

@description('Short name used in every resource name (letters and digits).')
@minLength(3)
@maxLength(11)
param name string = 'compliance'

param location string = resourceGroup().location

@description('The Entra ID tenant to scan; empty: this deployment\'s tenant. Another tenant needs crossTenantAppClientId: a managed identity only has tokens for its own tenant.')
param scanTenantId string = ''


@description('To scan another tenant: the client id of a multitenant app registration, consented in that tenant, with a federated identity credential trusting this app\'s managed identity (README, "Scanning another tenant"). Empty: scan this deployment\'s tenant.')
param crossTenantAppClientId string = ''

@description('When the scan runs (NCRONTAB, UTC): default 02:00 every day.')
param scanSchedule string = '0 0 2 * * *'

@description('Subscription ids to scan; empty: every subscription the identity can read.')
param subscriptionIds array = []

@description('Only new or regressed findings of this severity or above raise a Teams card.')
@allowed([ 'informational', 'low', 'medium', 'high', 'critical' ])
param alertSeverity string = 'high'

@description('Object id of the person or group that manages the vault\'s secrets (gets Key Vault Secrets Officer). Empty: none.')
param vaultAdministratorObjectId string = ''

@description('Purge protection on the vault: a deleted vault (and its secrets) can then not be purged before its soft-delete retention ends, so its name stays taken (see vaultNameSalt, recoverSoftDeletedVault). Cannot be turned off once on.')
param vaultPurgeProtection bool = true

@description('Changes the vault\'s name: redeploying into a recreated resource group while the old vault is soft-deleted (VaultAlreadyExists) needs either a new salt or recoverSoftDeletedVault.')
param vaultNameSalt string = ''

@description('Recover the soft-deleted vault of the same name (with its secrets) instead of creating one: for a redeploy after the resource group was deleted.')
param recoverSoftDeletedVault bool = false

@description('The most instances the Flex Consumption plan scales out to (40 to 1000). Every instance signs in as the same identity and shares one Resource Graph quota; the instances also share a quota bucket in Table storage.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('E-mail address that gets the alerts (poisoned scope scans, incomplete runs, failed notifications). Empty: the alert rules fire in Azure Monitor without notifying anyone.')
param alertEmailAddress string = ''

@description('Export every finalised run\'s findings to the Log Analytics workspace (table ComplianceFindings_CL) through a data collection endpoint and rule.')
param logAnalyticsExport bool = false

@description('Storage and the vault behind private endpoints, public network access disabled, and the app on a virtual network.')
param privateNetworking bool = false

@description('Address space of the virtual network (privateNetworking).')
param vnetAddressPrefix string = '10.20.0.0/16'

@description('Subnet for the app\'s virtual network integration, delegated to Microsoft.App/environments as Flex Consumption requires (privateNetworking).')
param appSubnetPrefix string = '10.20.1.0/24'

@description('Subnet for the private endpoints (privateNetworking).')
param endpointSubnetPrefix string = '10.20.2.0/24'

@description('Entra ID tokens for the HTTP API (/api/entra/…): the API app registration\'s client id and/or Application ID URI, comma-separated (the post-provision hook creates the registration). Empty: function keys only.')
param apiAudiences string = ''


var suffix = uniqueString(resourceGroup().id, name)
var storageName = take(toLower('st${name}${suffix}'), 24)
var appName = 'func-${name}-${suffix}'
var vaultName = take('kv-${name}-${empty(vaultNameSalt) ? suffix : uniqueString(resourceGroup().id, name, vaultNameSalt)}', 24)
var deploymentContainer = 'app-package'
var scanTenant = empty(scanTenantId) ? tenant().tenantId : scanTenantId
var audiences = empty(apiAudiences) ? [] : map(split(apiAudiences, ','), a => trim(a))

// The cloud this deployment runs in, as the app names it (Collectors:Azure:Cloud).
var cloud = environment().name == 'AzureUSGovernment' ? 'usgov' : environment().name == 'AzureChinaCloud' ? 'china' : 'public'
var authorityHost = environment().authentication.loginEndpoint

// Built-in role definition ids (Microsoft Learn, "Azure built-in roles").
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}-${suffix}'
  location: location
}

// ---- Network (privateNetworking) -------------------------------------------------------------------

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = if (privateNetworking) {
  name: 'vnet-${name}-${suffix}'
  location: location
  properties: {
    addressSpace: { addressPrefixes: [ vnetAddressPrefix ] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [ { name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } } ]
        }
      }
      {
        name: 'endpoints'
        properties: { addressPrefix: endpointSubnetPrefix, privateEndpointNetworkPolicies: 'Disabled' }
      }
    ]
  }
}

// Private DNS zones of the services behind private endpoints, named for this cloud
// (Microsoft Learn, "Azure Private Endpoint private DNS zone values").
var privateZones = {
  blob: 'privatelink.blob.${environment().suffixes.storage}'
  queue: 'privatelink.queue.${environment().suffixes.storage}'
  table: 'privatelink.table.${environment().suffixes.storage}'
  vault: 'privatelink.vaultcore.${replace(environment().suffixes.keyvaultDns, '.vault.', '')}'
}
var storageEndpoints = [ 'blob', 'queue', 'table' ]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in items(privateZones): if (privateNetworking) {
  name: zone.value
  location: 'global'
}]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in items(privateZones): if (privateNetworking) {
  parent: zones[i]
  name: 'vnet-${name}'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}]

// ---- Storage -------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false // identity-based connections only
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: privateNetworking ? { defaultAction: 'Deny', bypass: 'AzureServices' } : { defaultAction: 'Allow' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource storageEndpointsPe 'Microsoft.Network/privateEndpoints@2024-05-01' = [for service in storageEndpoints: if (privateNetworking) {
  name: 'pe-${storageName}-${service}'
  location: location
  properties: {
    subnet: { id: '${vnet.id}/subnets/endpoints' }
    privateLinkServiceConnections: [ { name: service, properties: { privateLinkServiceId: storage.id, groupIds: [ service ] } } ]
  }
}]

resource storageZoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (service, i) in storageEndpoints: if (privateNetworking) {
  parent: storageEndpointsPe[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [ { name: service, properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', privateZones[service]) } } ]
  }
  dependsOn: [ zones ]
}]

// ---- Key Vault -----------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    createMode: recoverSoftDeletedVault ? 'recover' : 'default'
    enableRbacAuthorization: true
    enableSoftDelete: true
    // Purge protection can only be switched on (the property takes true or nothing).
    enablePurgeProtection: vaultPurgeProtection ? true : null
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: privateNetworking ? { defaultAction: 'Deny', bypass: 'AzureServices' } : { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource vaultEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = if (privateNetworking) {
  name: 'pe-${vaultName}'
  location: location
  properties: {
    subnet: { id: '${vnet.id}/subnets/endpoints' }
    privateLinkServiceConnections: [ { name: 'vault', properties: { privateLinkServiceId: vault.id, groupIds: [ 'vault' ] } } ]
  }
}

resource vaultZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = if (privateNetworking) {
  parent: vaultEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [ { name: 'vault', properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', privateZones.vault) } } ]
  }
  dependsOn: [ zones ]
}

// ---- Monitoring ----------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}-${suffix}'
  location: location
  properties: { retentionInDays: 90, sku: { name: 'PerGB2018' } }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}-${suffix}'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: workspace.id, DisableLocalAuth: true }
}

// Who reads what in the storage account and the vault, kept in the workspace.
var serviceLogs = {
  workspaceId: workspace.id
  logs: [ { categoryGroup: 'allLogs', enabled: true } ]
  metrics: [ { category: 'Transaction', enabled: true } ]
}

resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-${workspace.name}'
  scope: blobService
  properties: serviceLogs
}

resource queueLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-${workspace.name}'
  scope: queueService
  properties: serviceLogs
}

resource tableLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-${workspace.name}'
  scope: tableService
  properties: serviceLogs
}

resource vaultLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-${workspace.name}'
  scope: vault
  properties: {
    workspaceId: workspace.id
    logs: [ { categoryGroup: 'audit', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

resource alertGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmailAddress)) {
  name: 'ag-${name}-${suffix}'
  location: 'global'
  properties: {
    groupShortName: take('compliance', 12)
    enabled: true
    emailReceivers: [ { name: 'operator', emailAddress: alertEmailAddress, useCommonAlertSchema: true } ]
  }
}

// The scanner's own metrics (ComplianceMetrics in the app: exported by OpenTelemetry into AppMetrics).
var alertRules = [
  {
    name: 'poisoned-scope-scans'
    description: 'A scope scan failed on every attempt and its message reached the poison queue: its scope is an error in the run.'
    query: 'AppMetrics | where Name == "compliance.scopes.poisoned" | summarize Count = sum(Sum)'
    severity: 2
  }
  {
    name: 'incomplete-runs'
    description: 'A run was finalised as incomplete: some scope never reported.'
    query: 'AppMetrics | where Name == "compliance.runs.finalized" and tostring(Properties["status"]) == "incomplete" | summarize Count = sum(Sum)'
    severity: 2
  }
  {
    name: 'failed-notifications'
    description: 'A run\'s Teams card could not be posted (the run records why).'
    query: 'AppMetrics | where Name == "compliance.notifications" and tostring(Properties["status"]) == "failed" | summarize Count = sum(Sum)'
    severity: 3
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for rule in alertRules: {
  name: 'alert-${name}-${rule.name}'
  location: location
  properties: {
    displayName: 'Compliance: ${rule.name}'
    description: rule.description
    severity: rule.severity
    enabled: true
    scopes: [ workspace.id ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: 'Total'
          metricMeasureColumn: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: empty(alertEmailAddress) ? [] : [ alertGroup.id ] }
  }
}]

// ---- Log Analytics export (logAnalyticsExport) ---------------------------------------------------

// One list of columns for the table and the stream; the app writes the same (LogAnalytics/FindingRows.cs).
// Not TenantId, ResourceId, … : Log Analytics reserves those names (Microsoft Learn, Logs Ingestion API overview).
var findingColumns = [
  { name: 'TimeGenerated', type: 'datetime' }
  { name: 'RunId', type: 'string' }
  { name: 'RunStatus', type: 'string' }
  { name: 'RunStartedAt', type: 'datetime' }
  { name: 'ScannedTenantId', type: 'string' }
  { name: 'ScopeId', type: 'string' }
  { name: 'FindingId', type: 'string' }
  { name: 'RuleId', type: 'string' }
  { name: 'RuleTitle', type: 'string' }
  { name: 'PackId', type: 'string' }
  { name: 'PackVersion', type: 'string' }
  { name: 'AssessedResourceId', type: 'string' }
  { name: 'AssessedResourceName', type: 'string' }
  { name: 'AssessedResourceType', type: 'string' }
  { name: 'Location', type: 'string' }
  { name: 'AssessedSubscriptionId', type: 'string' }
  { name: 'Outcome', type: 'string' }
  { name: 'Severity', type: 'string' }
  { name: 'Category', type: 'string' }
  { name: 'HistoryStatus', type: 'string' }
  { name: 'Carried', type: 'boolean' }
  { name: 'Reason', type: 'string' }
  { name: 'Message', type: 'string' }
  { name: 'Controls', type: 'dynamic' }
  { name: 'SuppressionExpiresOn', type: 'datetime' }
]
var findingsTable = 'ComplianceFindings_CL'
var findingsStream = 'Custom-${findingsTable}'

resource findings 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = if (logAnalyticsExport) {
  parent: workspace
  name: findingsTable
  properties: {
    plan: 'Analytics'
    retentionInDays: 365
    schema: { name: findingsTable, columns: findingColumns }
  }
}

resource ingestionEndpoint 'Microsoft.Insights/dataCollectionEndpoints@2023-03-11' = if (logAnalyticsExport) {
  name: 'dce-${name}-${suffix}'
  location: location
  properties: { networkAcls: { publicNetworkAccess: 'Enabled' } }
}

resource ingestionRule 'Microsoft.Insights/dataCollectionRules@2023-03-11' = if (logAnalyticsExport) {
  name: 'dcr-${name}-${suffix}'
  location: location
  properties: {
    dataCollectionEndpointId: ingestionEndpoint.id
    streamDeclarations: { '${findingsStream}': { columns: findingColumns } }
    destinations: { logAnalytics: [ { name: 'workspace', workspaceResourceId: workspace.id } ] }
    dataFlows: [ { streams: [ findingsStream ], destinations: [ 'workspace' ], transformKql: 'source', outputStream: findingsStream } ]
  }
  dependsOn: [ findings ]
}

resource ingestionPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (logAnalyticsExport) {
  name: guid(ingestionRule.id, identity.id, roles.monitoringMetricsPublisher)
  scope: ingestionRule
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// ---- Role assignments ----------------------------------------------------------------------------

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [ roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor ]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource vaultOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(vaultAdministratorObjectId)) {
  name: guid(vault.id, vaultAdministratorObjectId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: vaultAdministratorObjectId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

resource insightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// ---- The Function App ----------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var subscriptionSettings = [for (id, i) in subscriptionIds: { name: 'Scan__Subscriptions__${i}', value: id }]

// The host's storage through the identity. AzureWebJobsStorage__accountName builds the endpoints of the
// public cloud (core.windows.net) only; in US Government and China the service URIs are given instead
// (Microsoft Learn, Azure Functions, "Connecting to host storage with an identity").
var hostStorageSettings = cloud == 'public'
  ? [ { name: 'AzureWebJobsStorage__accountName', value: storage.name } ]
  : [
      { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
      { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
      { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
    ]

// Another tenant is reached only through the multitenant app that trusts the managed identity.
var credentialSettings = empty(crossTenantAppClientId)
  ? [ { name: 'Collectors__Azure__Credential', value: 'managedidentity' } ]
  : [
      { name: 'Collectors__Azure__Credential', value: 'federated' }
      { name: 'Collectors__Azure__ClientId', value: crossTenantAppClientId }
    ]

var exportSettings = logAnalyticsExport
  ? [
      { name: 'LogAnalytics__Enabled', value: 'true' }
      { name: 'LogAnalytics__Endpoint', value: ingestionEndpoint!.properties.logsIngestion.endpoint }
      { name: 'LogAnalytics__RuleId', value: ingestionRule!.properties.immutableId }
      { name: 'LogAnalytics__Stream', value: findingsStream }
    ]
  : []

// The API's app registration lives in this deployment's tenant, which issues its tokens.
var apiAudienceSettings = [for (audience, i) in audiences: { name: 'Api__Entra__Audiences__${i}', value: audience }]
var apiSettings = empty(audiences) ? [] : concat([ { name: 'Api__Entra__Authority', value: '${authorityHost}${tenant().tenantId}/v2.0' } ], apiAudienceSettings)

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  tags: { 'azd-service-name': 'functions' }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: privateNetworking ? '${vnet.id}/subnets/app' : null
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(hostStorageSettings, [
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'ScanSchedule', value: scanSchedule }
        // One identity for the app's own clients: collectors, report store, Key Vault, telemetry.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'Collectors__Azure__Cloud', value: cloud }
        { name: 'Collectors__Azure__TenantId', value: scanTenant }
        { name: 'Collectors__Azure__ManagedIdentityClientId', value: identity.properties.clientId }
        { name: 'Store__Azure__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Store__Azure__BlobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'Secrets__VaultUri', value: vault.properties.vaultUri }
        { name: 'Alerts__MinimumSeverity', value: alertSeverity }
      ], credentialSettings, exportSettings, apiSettings, subscriptionSettings)
    }
  }
  dependsOn: [ storageRoles, vaultReader, storageZoneGroups, vaultZoneGroup, zoneLinks ]
}

output functionAppName string = app.name
output keyVaultName string = vault.name
output storageAccountName string = storage.name
output identityPrincipalId string = identity.properties.principalId
output identityClientId string = identity.properties.clientId

// For azd: outputs become environment values of the post-provision hook.
output COMPLIANCE_FUNCTION_APP_NAME string = app.name
output COMPLIANCE_KEY_VAULT_NAME string = vault.name
output COMPLIANCE_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output COMPLIANCE_IDENTITY_CLIENT_ID string = identity.properties.clientId
output COMPLIANCE_SCAN_TENANT_ID string = scanTenant
output COMPLIANCE_HOME_TENANT_ID string = tenant().tenantId
output COMPLIANCE_CLOUD string = cloud
