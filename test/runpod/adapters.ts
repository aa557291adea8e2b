// The adapters the one adapter suite runs against: GraphQL alone, REST v2 alone, and auto
// (v2 where it can, GraphQL for balance and spot). What differs between them is stated here,
// not in the tests: the twin's operation names, and what an API simply does not have.
import type { ApiMode } from '../../src/runpod/index.ts';

export interface AdapterCase {
  mode: ApiMode;
  /** Twin operation names (GraphQL root field or REST v2 operationId) the tests count and break. */
  op: {
    /** The call behind listPods. */
    list: string;
    getPod: string;
    create: string;
    stop: string;
    resume: string;
    terminate: string;
    spotCreate: string;
    createVolume: string;
    deleteVolume: string;
  };
  /** Balance and spot exist (GraphQL reachable). */
  balance: boolean;
  spot: boolean;
  /** An endpoint remembers its template (v2 keeps no link once created). */
  endpointTemplateLink: boolean;
}

const GRAPHQL_OPS: AdapterCase['op'] = {
  list: 'myself',
  getPod: 'pod',
  create: 'podFindAndDeployOnDemand',
  stop: 'podStop',
  resume: 'podResume',
  terminate: 'podTerminate',
  spotCreate: 'podRentInterruptable',
  createVolume: 'createNetworkVolume',
  deleteVolume: 'deleteNetworkVolume',
};

const V2_OPS: AdapterCase['op'] = {
  list: 'listPods',
  getPod: 'getPod',
  create: 'createPod',
  stop: 'podAction',
  resume: 'podAction',
  terminate: 'deletePod',
  spotCreate: 'podRentInterruptable',
  createVolume: 'createNetworkVolume',
  deleteVolume: 'deleteNetworkVolume',
};

export const ADAPTERS: readonly AdapterCase[] = [
  { mode: 'graphql', op: GRAPHQL_OPS, balance: true, spot: true, endpointTemplateLink: true },
  { mode: 'v2', op: V2_OPS, balance: false, spot: false, endpointTemplateLink: false },
  { mode: 'auto', op: V2_OPS, balance: true, spot: true, endpointTemplateLink: false },
];
