export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

function readAsDataURL(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

/** Image files → data URLs; non-images are skipped, oversized ones reported. */
export async function readImageFiles(files: File[]): Promise<{ urls: string[]; tooLarge: boolean }> {
  const urls: string[] = [];
  let tooLarge = false;
  for (const f of files) {
    if (!f.type.startsWith('image/')) continue;
    if (f.size > MAX_IMAGE_BYTES) {
      tooLarge = true;
      continue;
    }
    urls.push(await readAsDataURL(f));
  }
  return { urls, tooLarge };
}
