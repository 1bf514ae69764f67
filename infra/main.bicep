// Teams Token Portal on Azure: `azd up` provisions everything below; the app is then deployed by azd.
// Keyless by default: the portal reaches ACS with a user-assigned managed identity holding Contributor on it.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds unique resource names.')
param environmentName string

@minLength(1)
@description('Azure region of every resource except ACS (global).')
param location string

@allowed(['containerapp', 'appservice'])
@description('Where the portal runs: Azure Container Apps (default) or App Service (Linux, Node 24).')
param hostKind string = 'containerapp'

@description('Public https URL of the portal when a custom domain is bound, e.g. https://tokens.contoso.com. Empty: the host\'s default domain.')
param publicUrl string = ''

@description('Application (client) id of the multitenant Entra app registration (AUTH_MICROSOFT_ENTRA_ID_ID).')
param entraClientId string

@secure()
@description('A client secret of that app registration; stored in Key Vault only.')
param entraClientSecret string

@secure()
@minLength(32)
@description('Encrypts the session cookie (openssl rand -base64 33); stored in Key Vault only.')
param authSecret string

@description('Comma-separated tenant ids allowed to sign in. Empty: every organization.')
param allowedTenantIds string = ''

@description('Comma-separated client app ids whose Bearer tokens the API accepts.')
param allowedClientIds string = ''

@description('Where ACS stores its data at rest, e.g. United States, Europe, UK, Australia.')
param acsDataLocation string = 'United States'

@description('true: ACS access keys are disabled, so managed identity is the only way in (keyless).')
param acsDisableLocalAuth bool = true

@description('Image deployed by azd (kept on re-provision); empty on the first run.')
param webImageName string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var webName = hostKind == 'containerapp' ? 'ca-web-${resourceToken}' : 'app-web-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: 'id-web-${resourceToken}', location: location, tags: tags }
}

module acs 'app/acs.bicep' = {
  name: 'acs'
  scope: rg
  params: {
    name: 'acs-${resourceToken}'
    dataLocation: acsDataLocation
    disableLocalAuth: acsDisableLocalAuth
    principalId: identity.outputs.principalId
    identityId: identity.outputs.id
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: { logAnalyticsName: 'log-${resourceToken}', appInsightsName: 'appi-${resourceToken}', location: location, tags: tags }
}

module vault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    authSecret: authSecret
    entraClientSecret: entraClientSecret
  }
}

module redis 'app/redis.bicep' = {
  name: 'redis'
  scope: rg
  params: { name: 'redis-${resourceToken}', location: location, tags: tags, keyVaultName: vault.outputs.name }
}

module containerEnv 'app/containerapp-env.bicep' = if (hostKind == 'containerapp') {
  name: 'containerapp-env'
  scope: rg
  params: { name: 'cae-${resourceToken}', location: location, tags: tags, logAnalyticsName: monitoring.outputs.logAnalyticsName }
}

// Known before the app exists, so that AUTH_URL and the redirect URIs can be set in one pass.
var defaultHost = hostKind == 'containerapp' ? '${webName}.${containerEnv!.outputs.defaultDomain}' : '${webName}.azurewebsites.net'
var trimmedPublicUrl = endsWith(publicUrl, '/') ? substring(publicUrl, 0, length(publicUrl) - 1) : publicUrl
var portalUrl = empty(publicUrl) ? 'https://${defaultHost}' : trimmedPublicUrl

// What the portal reads (lib/config/schema.ts); tests/unit/infra.test.ts checks these names against the schema.
var appSettings = {
  AUTH_URL: portalUrl
  AUTH_MICROSOFT_ENTRA_ID_ID: entraClientId
  ACS_ENDPOINT: acs.outputs.endpoint
  AZURE_CLIENT_ID: identity.outputs.clientId
  ALLOWED_TENANT_IDS: allowedTenantIds
  ALLOWED_CLIENT_IDS: allowedClientIds
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
}

// Secret settings: variable name → Key Vault secret name, read by the app through its identity.
var appSecrets = {
  AUTH_SECRET: 'auth-secret'
  AUTH_MICROSOFT_ENTRA_ID_SECRET: 'entra-client-secret'
  REDIS_URL: 'redis-url'
}

module registry 'app/registry.bicep' = if (hostKind == 'containerapp') {
  name: 'registry'
  scope: rg
  params: { name: 'cr${resourceToken}', location: location, tags: tags, pullPrincipalId: identity.outputs.principalId }
}

module containerApp 'app/containerapp.bicep' = if (hostKind == 'containerapp') {
  name: 'containerapp'
  scope: rg
  params: {
    name: webName
    environmentId: containerEnv!.outputs.id
    location: location
    tags: tags
    identityId: identity.outputs.id
    registryServer: registry!.outputs.loginServer
    imageName: webImageName
    keyVaultUri: vault.outputs.uri
    settings: appSettings
    secretSettings: appSecrets
  }
  dependsOn: [redis] // writes the redis-url secret
}

module appService 'app/appservice.bicep' = if (hostKind == 'appservice') {
  name: 'appservice'
  scope: rg
  params: {
    name: webName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    keyVaultUri: vault.outputs.uri
    settings: appSettings
    secretSettings: appSecrets
  }
  dependsOn: [redis] // writes the redis-url secret
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = hostKind == 'containerapp' ? registry!.outputs.loginServer : ''
output SERVICE_WEB_NAME string = webName
output PORTAL_URL string = portalUrl
output ACS_ENDPOINT string = acs.outputs.endpoint
output ACS_RESOURCE_ID string = acs.outputs.id
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
// Register both under Authentication → Web → Redirect URIs of the app registration.
output ENTRA_REDIRECT_URI_SIGN_IN string = '${portalUrl}/api/auth/callback/microsoft-entra-id'
output ENTRA_REDIRECT_URI_CONSENT string = '${portalUrl}/consent/result'
