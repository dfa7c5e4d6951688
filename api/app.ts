// REST API: Fastify with TypeBox schemas (validated requests, generated OpenAPI at /docs).
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ApiError, type LabService } from './lab-service';
import { metricsContentType, metricsText, startProcessMetrics } from '../workers/metrics';
import type { LabState } from '../workflows/defs';

const LabName = Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' }) });
const ErrorBody = Type.Object({
  error: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({
    file: Type.String(), line: Type.Number(), col: Type.Number(), path: Type.String(), message: Type.String(), text: Type.String(),
  }))),
});
const Operation = Type.Object({
  kind: Type.String(), workflowId: Type.String(), runId: Type.String(), joined: Type.Boolean(), url: Type.String(),
});
const Submission = Type.Object({
  topology: Type.String({ description: 'containerlab topology YAML', maxLength: 4 * 1024 * 1024 }),
  filename: Type.Optional(Type.String({ maxLength: 200 })),
  files: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'files the topology references, path relative to the topology → base64 content' })),
});

export async function buildApp(labs: LabService, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  startProcessMetrics('api');
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 64 * 1024 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  // Accept raw YAML bodies too: `curl --data-binary @lab.clab.yml -H 'content-type: application/yaml'`.
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_req, body, done) => {
    done(null, { topology: body as string });
  });
  await app.register(swagger, {
    openapi: { info: { title: 'Archetype API', version: '0.1.0', description: 'Network labs as durable Temporal workflows' } },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.statusCode).send({ error: err.message, ...(err.errors ? { errors: err.errors } : {}) });
    }
    const e = err as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation) return reply.status(400).send({ error: e.message });
    app.log.error(err);
    return reply.status(e.statusCode && e.statusCode >= 400 ? e.statusCode : 500).send({ error: e.message });
  });

  const withLinks = (state: LabState) => ({
    ...state,
    ui: {
      runs: labs.uiLabRunsUrl(state.name),
      current: state.current ? labs.uiWorkflowUrl(state.current.workflowId, state.current.runId) : undefined,
      recent: state.recent.map((op) => labs.uiWorkflowUrl(op.workflowId, op.runId)),
    },
  });

  app.get('/healthz', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => ({ ok: true }));

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', metricsContentType);
    return metricsText();
  });

  app.get('/labs', {
    schema: { response: { 200: Type.Object({ labs: Type.Array(Type.Object({
      name: Type.String(), status: Type.String(), nodes: Type.Number(), links: Type.Number(), operation: Type.Optional(Type.String()),
      error: Type.Optional(Type.String()),
    })) }) } },
  }, async () => ({ labs: await labs.list() }));

  app.post('/labs', {
    schema: { body: Submission, response: { 200: Type.Any(), 201: Type.Any(), 400: ErrorBody, 409: ErrorBody } },
  }, async (req, reply) => {
    const result = await labs.putLab(req.body);
    return reply.status(result.created ? 201 : 200).send({ lab: result.lab, state: withLinks(result.state) });
  });

  app.get('/labs/:name', { schema: { params: LabName, response: { 200: Type.Any(), 404: ErrorBody, 503: ErrorBody } } }, async (req) => withLinks(await labs.state(req.params.name)));

  app.post('/labs/:name/deploy', { schema: { params: LabName, response: { 202: Operation, 404: ErrorBody, 409: ErrorBody } } }, async (req, reply) => {
    const op = await labs.deploy(req.params.name);
    return reply.status(202).send({ ...op, url: labs.uiWorkflowUrl(op.workflowId, op.runId) });
  });

  app.post('/labs/:name/destroy', { schema: { params: LabName, response: { 202: Operation, 404: ErrorBody, 409: ErrorBody } } }, async (req, reply) => {
    const op = await labs.destroy(req.params.name);
    return reply.status(202).send({ ...op, url: labs.uiWorkflowUrl(op.workflowId, op.runId) });
  });

  app.delete('/labs/:name', { schema: { params: LabName, response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody } } }, async (req, reply) => {
    await labs.remove(req.params.name);
    return reply.status(204).send(null);
  });

  return app;
}
