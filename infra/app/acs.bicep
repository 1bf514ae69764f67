// The Communication Services resource and the role that lets the portal's identity exchange Teams tokens.
param name string
param dataLocation string
param disableLocalAuth bool
@description('Object id of the portal\'s managed identity.')
param principalId string
@description('Resource id of that identity (names the role assignment).')
param identityId string
param tags object

// Contributor: what Microsoft's ACS quickstarts assign; no narrower built-in role is documented.
var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    disableLocalAuth: disableLocalAuth
  }
}

resource contributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: acs
  name: guid(acs.id, identityId, contributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = acs.id
output endpoint string = 'https://${acs.properties.hostName}/'
