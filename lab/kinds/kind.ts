// The contract every kind module fulfils. Pure: imported by the planner (workflow code).

export interface KindModule {
  /** Canonical name, e.g. `linux`, `ceos`. */
  name: string;
  /** Other names containerlab files use for this kind (e.g. `arista_ceos`). */
  aliases: string[];
  /** Whether Archetype can deploy nodes of this kind yet (validated and planned either way). */
  deployable: boolean;
  /** Whether a node of this kind must name an image (after inheritance). */
  requiresImage: boolean;
  /** Human description of valid data-plane interface names, for error messages. */
  interfaceHint: string;
  /** Why `name` is not a valid data-plane interface for this kind, or `undefined` when it is. */
  validateInterface(name: string): string | undefined;
  /** The interface's name inside the container/VM (at most 15 characters for valid input). */
  containerInterfaceName(name: string): string;
  /** Environment the kind needs; the topology's own `env` overrides it. */
  defaultEnv: Record<string, string>;
  /** Command used when the topology sets none. */
  defaultCmd?: string;
}
