// The portal on Azure Container Apps: the Dockerfile's standalone server on port 3000, at least 2 replicas,
// HTTP probes on the health route, secrets read from Key Vault by the app's identity.
param name string
param environmentId string
param location string
param tags object
param identityId string
param registryServer string
@description('Set by azd after the first deploy (SERVICE_WEB_IMAGE_NAME); a placeholder image until then.')
param imageName string = ''
param keyVaultUri string
@description('Plain settings: variable name → value.')
param settings object
@description('Secret settings: variable name → Key Vault secret name.')
param secretSettings object
param minReplicas int = 2
param maxReplicas int = 10

var port = 3000
var healthPath = '/api/health'
var placeholder = empty(imageName)
var healthProbe = { path: healthPath, port: port, scheme: 'HTTP' }
// Optional settings left empty (e.g. no tenant allow-list) are left out, not set to "".
var plainEnv = map(filter(items(settings), s => !empty(s.value)), s => { name: s.key, value: s.value })
var secretEnv = map(items(secretSettings), s => { name: s.key, secretRef: s.value })

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'auto'
        allowInsecure: false
      }
      registries: [{ server: registryServer, identity: identityId }]
      secrets: [
        for s in items(secretSettings): {
          name: s.value
          keyVaultUrl: '${keyVaultUri}secrets/${s.value}'
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'web'
          image: placeholder ? 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest' : imageName
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(plainEnv, secretEnv)
          // The first provision runs a placeholder without the health route; once azd has deployed the
          // portal's image (SERVICE_WEB_IMAGE_NAME), every provision sets all three probes.
          probes: placeholder ? [] : [
            { type: 'Startup', httpGet: healthProbe, periodSeconds: 3, failureThreshold: 20 }
            { type: 'Readiness', httpGet: healthProbe, periodSeconds: 10, failureThreshold: 3 }
            { type: 'Liveness', httpGet: healthProbe, periodSeconds: 30, failureThreshold: 3 }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [{ name: 'http', http: { metadata: { concurrentRequests: '50' } } }]
      }
    }
  }
}

output fqdn string = app.properties.configuration.ingress.fqdn
