// Every GraphQL document podbay sends to RunPod, in one place. The client can only send a
// document by its key here, and test/runpod/documents.test.ts validates each one against the
// schema, so a new document cannot skip the check.
// Input objects whose type name is only inferred in the schema are written inline with scalar
// variables (as RunPod's own clients do), so the document stays valid whatever the real name is.

const POD_FIELDS = `
  id name desiredStatus podType costPerHr gpuCount vcpuCount memoryInGb
  containerDiskInGb volumeInGb volumeMountPath imageName templateId networkVolumeId
  ports machineId lastStatusChange env
  machine { gpuDisplayName location }
  runtime {
    uptimeInSeconds
    gpus { id gpuUtilPercent memoryUtilPercent }
    container { cpuPercent memoryPercent }
    ports { ip isIpPublic privatePort publicPort type }
  }`;

const VOLUME_FIELDS = 'id name size dataCenterId';

const ENDPOINT_FIELDS = `
  id name templateId gpuIds gpuCount workersMin workersMax idleTimeout scalerType scalerValue
  networkVolumeId locations executionTimeoutMs flashBootType env { key }
  pods { desiredStatus }`;

export const DOCUMENTS = {
  account: `query Account { myself { id email clientBalance currentSpendPerHr spendLimit } }`,

  listPods: `query ListPods { myself { pods { ${POD_FIELDS} } } }`,

  /** Used to reconcile a create whose outcome is unknown: only what finding a pod by name needs. */
  podNames: `query PodNames { myself { pods { id name } } }`,

  /** Which pods are spot pods: REST v2 lists every pod alike, so auto mode asks GraphQL for this alone. */
  podTypes: `query PodTypes { myself { pods { id podType } } }`,

  getPod: `query GetPod($podId: String!) { pod(input: { podId: $podId }) { ${POD_FIELDS} } }`,

  createOnDemandPod: `mutation CreateOnDemandPod($input: PodFindAndDeployOnDemandInput) {
    podFindAndDeployOnDemand(input: $input) { ${POD_FIELDS} } }`,

  createSpotPod: `mutation CreateSpotPod($input: PodRentInterruptableInput!) {
    podRentInterruptable(input: $input) { ${POD_FIELDS} } }`,

  stopPod: `mutation StopPod($podId: String!) { podStop(input: { podId: $podId }) { id desiredStatus } }`,

  resumePod: `mutation ResumePod($podId: String!, $gpuCount: Int!) {
    podResume(input: { podId: $podId, gpuCount: $gpuCount }) { id desiredStatus } }`,

  bidResumePod: `mutation BidResumePod($podId: String!, $bidPerGpu: Float!, $gpuCount: Int!) {
    podBidResume(input: { podId: $podId, bidPerGpu: $bidPerGpu, gpuCount: $gpuCount }) { id desiredStatus } }`,

  terminatePod: `mutation TerminatePod($podId: String!) { podTerminate(input: { podId: $podId }) }`,

  gpuOffers: `query GpuOffers($filter: GpuTypeFilter, $lowest: GpuLowestPriceInput) {
    gpuTypes(input: $filter) {
      id displayName memoryInGb secureCloud communityCloud
      securePrice communityPrice secureSpotPrice communitySpotPrice
      lowestPrice(input: $lowest) { uninterruptablePrice minimumBidPrice stockStatus availableGpuCounts }
    } }`,

  dataCenters: `query DataCenters($gpu: GpuAvailabilityInput) {
    dataCenters { id name location storageSupport listed
      gpuAvailability(input: $gpu) { gpuTypeId displayName available stockStatus } } }`,

  listVolumes: `query ListVolumes { myself { networkVolumes { ${VOLUME_FIELDS} } } }`,

  createVolume: `mutation CreateVolume($input: CreateNetworkVolumeInput!) {
    createNetworkVolume(input: $input) { ${VOLUME_FIELDS} } }`,

  updateVolume: `mutation UpdateVolume($input: UpdateNetworkVolumeInput!) {
    updateNetworkVolume(input: $input) { ${VOLUME_FIELDS} } }`,

  deleteVolume: `mutation DeleteVolume($input: DeleteNetworkVolumeInput!) { deleteNetworkVolume(input: $input) }`,

  listEndpoints: `query ListEndpoints { myself { endpoints { ${ENDPOINT_FIELDS} } } }`,

  /** Full configuration of one endpoint, env values included: an update must send everything back. */
  getEndpointForUpdate: `query GetEndpointForUpdate($id: String!) { myself { endpoint(id: $id) {
    id name type templateId gpuIds gpuCount workersMin workersMax idleTimeout scalerType scalerValue
    networkVolumeId locations executionTimeoutMs flashBootType allowedCudaVersions minCudaVersion
    env { key value } } } }`,

  saveEndpoint: `mutation SaveEndpoint($input: EndpointInput!) { saveEndpoint(input: $input) { ${ENDPOINT_FIELDS} } }`,

  deleteEndpoint: `mutation DeleteEndpoint($id: String!) { deleteEndpoint(id: $id) }`,

  listTemplates: `query ListTemplates { myself { podTemplates {
    id name imageName isServerless containerDiskInGb volumeInGb ports } } }`,
} as const;

export type DocumentName = keyof typeof DOCUMENTS;

/** Mutations are never retried blindly; everything else is a read. */
export const isMutation = (name: DocumentName): boolean => DOCUMENTS[name].trimStart().startsWith('mutation');
