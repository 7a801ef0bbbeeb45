import { PresenterScreen } from '../../../_ui/presenter/presenter-screen';

export default async function PresenterPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <PresenterScreen joinCode={code.toUpperCase()} />;
}
