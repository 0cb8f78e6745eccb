import { kubeConfigTransport } from '../../../activities/kubernetes';
import { testKubeConfig, uniqueId } from '../../harness';

// DeleteOptions travel in a DELETE's body. Node sends such a body with neither Content-Length
// nor chunked encoding unless told, and the API server then ignores it: a Foreground delete
// silently became the default, and the body bytes were read as the next request. A
// precondition that cannot hold makes the difference visible: honoured, the delete is refused.

describe('Kubernetes transport: DELETE bodies reach the API server', () => {
  const transport = kubeConfigTransport(testKubeConfig());
  const name = uniqueId('delete-options');
  const path = `/api/v1/namespaces/default/configmaps/${name}`;

  beforeAll(async () => {
    const created = await transport({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await transport({ method: 'DELETE', path });
  });

  it('honours DeleteOptions: a failed uid precondition refuses the delete and keeps the object', async () => {
    const refused = await transport({
      method: 'DELETE',
      path,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } },
    });
    expect(refused.status).toBe(409);
    expect((await transport({ method: 'GET', path })).status).toBe(200);
  });

  it('keeps the connection usable after a DELETE with a body', async () => {
    // Formerly the leftover body was parsed as a request and answered 400 on this connection.
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push((await transport({ method: 'DELETE', path: `${path}-absent-${i}`, body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' } })).status);
      results.push((await transport({ method: 'GET', path })).status);
    }
    expect(results).toEqual(Array.from({ length: 5 }, () => [404, 200]).flat());
  });
});
