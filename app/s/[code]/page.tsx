import { StudentEntry } from '../../_ui/session/student-entry';

export default async function StudentPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <StudentEntry joinCode={code.toUpperCase()} />;
}
