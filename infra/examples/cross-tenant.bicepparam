// Scan another tenant than the deployment's, through a multitenant app registration that trusts the
// app's managed identity (README, "Scanning another tenant"); the vault is redeployed under a new name
// after its resource group was deleted, without purge protection in this test tenant.
using '../main.bicep'

param name = 'complianceb'
param scanTenantId = '7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f'
param crossTenantAppClientId = '2d4e6f80-1b3c-4d5e-8f90-a1b2c3d4e5f6'
param vaultNameSalt = '2026-12'
param vaultPurgeProtection = false
param maximumInstanceCount = 100
