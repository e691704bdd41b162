/** The parts of a node's JSON (ls, nodes) that the fleet audit tests read, simulated and real alike. */
export interface Warning {
  kind: string;
  nodes: string[];
  row_ids: number[];
  message: string;
}

export interface NodeJson {
  name: string;
  ok: boolean;
  cache_driver: string | null;
  warnings: Warning[];
}
