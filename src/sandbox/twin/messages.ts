// Error texts the twin answers with. Where RunPod's real text is known it is used verbatim
// (marked "real"); the others are plausible stand-ins. Clients must only rely on `message`.

/** An error a resolver raises; becomes `errors[].message` in a 200 answer, like RunPod. */
export class TwinApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwinApiError';
  }
}

export const MSG = {
  /** real (REST v2 and GraphQL create/resume) */
  noCapacity:
    'There are no longer any instances available with the requested specifications. Please refresh and try again.',
  /** real (runpodctl issue #156) */
  spotResumeAsOnDemand: 'Cannot resume a spot pod as an on demand pod.',
  onDemandBidResume: 'Cannot resume an on demand pod as a spot pod.',
  /** Answered by every GraphQL front end that drops a request it cannot serve. */
  generic: 'Something went wrong. Please try again later.',
  unauthorized: 'Unauthorized: the API key is missing or invalid.',
  insufficientFunds:
    'Your account balance is too low to deploy or resume a pod. Please add funds and try again.',
  balanceExhaustedStatus: 'Exited: account balance exhausted',
  spotInterruptedStatus: 'Interrupted: spot instance reclaimed',
  podNotFound: (id: string) => `Pod not found: ${id}`,
  bidTooLow: (bid: number, min: number) =>
    `Your bid of $${bid.toFixed(3)}/GPU/hr is below the minimum bid of $${min.toFixed(3)}/GPU/hr for this GPU type.`,
  spotUnavailable: (gpuTypeId: string) => `Spot (interruptible) instances are not offered for ${gpuTypeId}.`,
  gpuTypeRequired: 'gpuTypeId or gpuTypeIdList is required.',
  cpuNotSupported: 'CPU pods are created with deployCpuPod, not with this mutation.',
  imageRequired: 'An imageName or a templateId is required to deploy a pod.',
  badGpuCount: (n: number) => `gpuCount must be at least 1 (got ${n}).`,
  templateNotFound: (id: string) => `Template not found: ${id}`,
  templateNameNotFound: (name: string) => `Template not found: ${name}`,
  templateNameTaken: (name: string) => `Template name must be unique: "${name}" is already used.`,
  templateInUse: (name: string) => `Template "${name}" is used by an endpoint and cannot be deleted.`,
  templateServerlessForPod: 'Serverless templates cannot be used to deploy pods.',
  volumeNotFound: (id: string) => `Network volume not found: ${id}`,
  volumeWrongDataCenter: (volumeDc: string, asked: string) =>
    `The network volume is in ${volumeDc}; a pod using it cannot be deployed in ${asked}.`,
  volumeNoStorage: (dcId: string, allowed: string[]) =>
    `Network volumes cannot be created in ${dcId}. Data centers with storage support: ${allowed.join(', ')}.`,
  volumeUnknownDataCenter: (dcId: string) => `Unknown data center: ${dcId}`,
  volumeSize: (size: number) =>
    `Network volume size must be between 1 and 4000 GB (got ${size}). Contact support for larger volumes.`,
  volumeShrink: (from: number, to: number) =>
    `Network volume size can only be increased (current ${from} GB, requested ${to} GB).`,
  volumeInUse: (id: string, by: string) => `Network volume ${id} is in use by ${by} and cannot be deleted.`,
  endpointNotFound: (id: string) => `Endpoint not found: ${id}`,
  endpointNeedsTemplate: 'must provide templateId or template for the endpoint',
  endpointHasWorkers: 'Endpoint must have workersMin and workersMax set to 0 before it can be deleted.',
  endpointWorkers: 'workersMax must be greater than or equal to workersMin.',
  badPoolId: (id: string) => `Unknown serverless GPU pool id: ${id}`,
  explicitNull: (field: string) => `explicit null is not accepted for field ${field}; omit the field instead`,
} as const;
