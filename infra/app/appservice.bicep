// The portal on App Service (Linux, Node 24): the same standalone server (server.js), at least 2 instances,
// the platform's health check on the health route, secrets as Key Vault references resolved by the app's identity.
param name string
param planName string
param location string
param tags object
param identityId string
param keyVaultUri string
@description('Plain settings: variable name → value.')
param settings object
@description('Secret settings: variable name → Key Vault secret name.')
param secretSettings object
param skuName string = 'P0v3'
param minInstances int = 2
param maxInstances int = 10

// Optional settings left empty (e.g. no tenant allow-list) are left out, not set to "".
var plainSettings = map(filter(items(settings), s => !empty(s.value)), s => { name: s.key, value: s.value })
var secretReferences = map(items(secretSettings), s => { name: s.key, value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${s.value}/)' })
var platformSettings = [
  // azd uploads the built standalone folder; App Service must not build or install it again.
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
  // The platform sets HOSTNAME to the instance name; server.js would listen on that interface only.
  { name: 'HOSTNAME', value: '0.0.0.0' }
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: skuName, capacity: minInstances }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'node --max-old-space-size=192 server.js'
      alwaysOn: true
      healthCheckPath: '/api/health'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(plainSettings, secretReferences, platformSettings)
    }
  }
}

resource autoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = {
  name: '${planName}-autoscale'
  location: location
  tags: tags
  properties: {
    enabled: true
    targetResourceUri: plan.id
    profiles: [
      {
        name: 'cpu'
        capacity: { minimum: string(minInstances), maximum: string(maxInstances), default: string(minInstances) }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT5M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 70
            }
            scaleAction: { direction: 'Increase', type: 'ChangeCount', value: '1', cooldown: 'PT5M' }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: 30
            }
            scaleAction: { direction: 'Decrease', type: 'ChangeCount', value: '1', cooldown: 'PT10M' }
          }
        ]
      }
    ]
  }
}

output defaultHostName string = site.properties.defaultHostName
