/**
 * The reference's code samples for multipart operations: a file field takes the caller's Blob in TypeScript and an
 * `@file` argument in cURL, while text fields keep their example values.
 */
import { describe, expect, it } from 'vitest';
import { bundleApi, listApis } from '../../scripts/lib/apis.js';
import { addCodeSamples } from '../../scripts/lib/samples.js';

interface Sample {
  lang: string;
  source: string;
}

async function samplesOf(api: string): Promise<Record<string, Sample[]>> {
  const entry = (await listApis()).find((candidate) => candidate.name === api);
  if (!entry) throw new Error(`no API named ${api}`);
  const doc = await bundleApi(entry);
  addCodeSamples(doc, api);
  const samples: Record<string, Sample[]> = {};
  for (const item of Object.values(doc.paths ?? {}) as Record<string, { operationId?: string; 'x-codeSamples'?: Sample[] }>[]) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId) samples[operation.operationId] = operation['x-codeSamples'] ?? [];
    }
  }
  return samples;
}

const source = (samples: Record<string, Sample[]>, id: string, lang: string) => samples[id]?.find((sample) => sample.lang === lang)?.source ?? '';

describe('multipart code samples', () => {
  it('pass an avatar image as a Blob under its form field, next to the path parameter', async () => {
    const samples = await samplesOf('pachca');
    expect(source(samples, 'updateUserAvatar', 'TypeScript')).toContain('pachca.updateUserAvatar({ user_id: 12, body: { image: file } })');
    expect(source(samples, 'updateProfileAvatar', 'TypeScript')).toContain('pachca.updateProfileAvatar({ body: { image: file } })');
  });

  it('have curl read the file field from a file and send text fields as they are', async () => {
    const samples = await samplesOf('pachca');
    expect(source(samples, 'updateUserAvatar', 'curl')).toContain("-F 'image=@avatar.png'");
    const direct = source(samples, 'directUpload', 'curl');
    expect(direct).toContain("-F 'acl=private'");
    expect(direct).toMatch(/-F 'file=@[^']+'/);
  });

  it('spread the upload parameters into the direct upload, since they come from getUploadParams', async () => {
    const samples = await samplesOf('pachca');
    expect(source(samples, 'directUpload', 'TypeScript')).toContain('body: { ...uploadParams, file }');
  });
});

describe('array filters in code samples', () => {
  it('have curl send each value under the bracketed name the API reads, and TypeScript keep the readable key', async () => {
    const samples = await samplesOf('pachca');
    expect(source(samples, 'listGroupTags', 'curl')).toContain('/group_tags?names[]=Design&names[]=Product');
    expect(source(samples, 'listGroupTags', 'TypeScript')).toContain("names: ['Design', 'Product']");
  });
});
