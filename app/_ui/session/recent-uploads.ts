// Photos this browser uploaded, newest first, so the instructor finds them again by their own file names.
const KEY = 'convlens:recent-uploads';
const KEPT = 12;

export interface RecentUpload {
  id: string;
  name: string;
}

export function recentUploads(): RecentUpload[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(list)
      ? list.filter((u): u is RecentUpload => typeof u?.id === 'string' && typeof u?.name === 'string')
      : [];
  } catch {
    return [];
  }
}

export function rememberUpload(upload: RecentUpload): void {
  const list = [upload, ...recentUploads().filter((u) => u.id !== upload.id)].slice(0, KEPT);
  localStorage.setItem(KEY, JSON.stringify(list));
}
