import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

// Workers in tests log warnings and errors only.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed by an earlier test file in this process
}

export function temporalAddress(): string {
  const address = process.env.ARCHETYPE_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('ARCHETYPE_TEST_TEMPORAL_ADDRESS unset: the jest global setup starts the server');
  return address;
}

/** A test environment bound to the real dev server started by the global setup. */
export async function testEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: temporalAddress() });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file and reused. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log() {}, trace() {}, debug() {}, info() {}, warn() {}, error(message: string) { console.error(message); },
};
