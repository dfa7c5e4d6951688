// Workflow entry points registered on the control worker. Deterministic code only.
export { labWorkflow } from './lab';
export { deployWorkflow } from './deploy';
export { destroyWorkflow } from './destroy';
export { smokeWorkflow } from './smoke';
