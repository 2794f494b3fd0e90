/**
 * The body serializer for `multipart/form-data` operations. Plain fields are appended first and files last:
 * storage services that check signed upload policies (such as Pachca's) ignore fields that follow the file.
 */

/** Turns a flat object of strings, numbers, booleans and Blobs into a `FormData` with the Blobs at the end. */
export function toFormData(body: unknown): FormData {
  if (body instanceof FormData) return body;
  const form = new FormData();
  const files: [string, Blob][] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Blob) files.push([name, value]);
    else form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  for (const [name, file] of files) form.append(name, file);
  return form;
}
