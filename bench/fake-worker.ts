/**
 * One cold process measuring the in-process fake of /testing (bundled as a user's code would be): the import of
 * /testing and a client, the start of a first fake (its generated tables loaded) and of a second, and the CPU per
 * call through a client (a read and a send) and to the fake alone. Prints one JSON line.
 */
const importStart = performance.now();
const { createFakeApi } = await import('../src/testing/index.js');
const { createPachcaClient } = await import('../src/pachca/index.js');
const importMs = performance.now() - importStart;

const startAt = performance.now();
const fake = await createFakeApi('pachca');
const startMs = performance.now() - startAt;
const warmAt = performance.now();
await createFakeApi('pachca');
const warmStartMs = performance.now() - warmAt;

const calls = Number(process.argv[2] ?? 2000);
const pachca = createPachcaClient({ token: 'bench-token-1234', ...fake.clientOptions });
const cpuMs = async (run: () => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < Math.min(200, calls); i++) await run();
  fake.reset();
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await run();
  const used = process.cpuUsage(before);
  fake.reset();
  return (used.user + used.system) / 1000 / calls;
};
const readMs = await cpuMs(() => pachca.getMessage({ id: 194275 }));
const sendMs = await cpuMs(() => pachca.createMessage({ body: { message: { entity_id: 334, content: 'Hello' } } }));
const fakeAloneMs = await cpuMs(() => fake.fetch(`${fake.url}/messages/194275`, { headers: { authorization: 'Bearer bench-token-1234' } }));
console.log(JSON.stringify({ importMs, startMs, warmStartMs, readMs, sendMs, fakeAloneMs }));
