// Storage and the vault behind private endpoints, the app on a virtual network, findings exported to
// Log Analytics, alerts by e-mail: `az deployment group create -g rg-compliance -f infra/main.bicep -p infra/examples/private-network.bicepparam`.
using '../main.bicep'

param name = 'compliance'
param privateNetworking = true
param vnetAddressPrefix = '10.20.0.0/16'
param appSubnetPrefix = '10.20.1.0/24'
param endpointSubnetPrefix = '10.20.2.0/24'
param logAnalyticsExport = true
param alertEmailAddress = 'secops@contoso.example'
