// The Compliance Function App and what it needs, in one resource group:
//   - a user-assigned managed identity: the app's only identity (storage, queues, Key Vault, ARM, Graph);
//   - a storage account without shared keys: the Functions host (AzureWebJobsStorage, the scope queue),
//     the report store (tables), evidence and large findings (blobs), the deployment package;
//   - a Key Vault (RBAC) for the Teams webhook URL and the evidence-signing key;
//   - Application Insights; a Flex Consumption plan and the Function App (.NET 10 isolated).
// What a resource-group deployment cannot grant — Reader on the subscriptions to scan and the
// Microsoft Graph application permissions — is done once by hand (README, "Deploy to Azure").

@description('Short name used in every resource name (letters and digits).')
@minLength(3)
@maxLength(11)
param name string = 'compliance'

param location string = resourceGroup().location

@description('The Entra ID tenant to scan.')
param scanTenantId string = tenant().tenantId

@description('When the scan runs (NCRONTAB, UTC): default 02:00 every day.')
param scanSchedule string = '0 0 2 * * *'

@description('Subscription ids to scan; empty: every subscription the identity can read.')
param subscriptionIds array = []

@description('Only new or regressed findings of this severity or above raise a Teams card.')
@allowed([ 'informational', 'low', 'medium', 'high', 'critical' ])
param alertSeverity string = 'high'

@description('Object id of the person or group that manages the vault\'s secrets (gets Key Vault Secrets Officer). Empty: none.')
param vaultAdministratorObjectId string = ''

var suffix = uniqueString(resourceGroup().id, name)
var storageName = take(toLower('st${name}${suffix}'), 24)
var appName = 'func-${name}-${suffix}'
var vaultName = take('kv-${name}-${suffix}', 24)
var deploymentContainer = 'app-package'

// Built-in role definition ids.
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
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

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

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var subscriptionSettings = [for (id, i) in subscriptionIds: { name: 'Scan__Subscriptions__${i}', value: id }]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat([
        // The Functions host and the scope queue, through the identity (no account key).
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'ScanSchedule', value: scanSchedule }
        // One identity for the app's own clients: collectors, report store, Key Vault.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'Collectors__Azure__TenantId', value: scanTenantId }
        { name: 'Collectors__Azure__Credential', value: 'managedidentity' }
        { name: 'Collectors__Azure__ManagedIdentityClientId', value: identity.properties.clientId }
        { name: 'Store__Azure__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Store__Azure__BlobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'Secrets__VaultUri', value: vault.properties.vaultUri }
        { name: 'Alerts__MinimumSeverity', value: alertSeverity }
      ], subscriptionSettings)
    }
  }
  dependsOn: [ storageRoles, vaultReader ]
}

output functionAppName string = app.name
output keyVaultName string = vault.name
output storageAccountName string = storage.name
output identityPrincipalId string = identity.properties.principalId
output identityClientId string = identity.properties.clientId
