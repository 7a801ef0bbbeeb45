import { InstructorEntry } from '../../../_ui/session/instructor-entry';

export default async function InstructorPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <InstructorEntry joinCode={code.toUpperCase()} />;
}
