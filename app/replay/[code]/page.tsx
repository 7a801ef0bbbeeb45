import { ReplayEntry } from '../../_ui/replay/replay-entry';

export default async function ReplayPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <ReplayEntry joinCode={code.toUpperCase()} />;
}
