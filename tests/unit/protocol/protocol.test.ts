import { describe, expect, it } from 'vitest';
import { actionSchema, mayPerform } from '@/lib/protocol/actions';
import { joinCodeSchema } from '@/lib/protocol/primitives';
import { joinRequestSchema } from '@/lib/protocol/socket';
import { LOG_VERSION, PROTOCOL_VERSION } from '@/lib/protocol/version';

describe('protocol', () => {
  it('pins its versions: a change here must come with a migration of clients or stored logs', () => {
    expect(PROTOCOL_VERSION).toBe(2);
    expect(LOG_VERSION).toBe(2);
  });

  it('reads join codes in any case and refuses look-alike characters', () => {
    expect(joinCodeSchema.parse(' abc234 ')).toBe('ABC234');
    expect(joinCodeSchema.safeParse('ABC10O').success).toBe(false);
    expect(joinCodeSchema.safeParse('ABCDEFG').success).toBe(false);
  });

  it('lets students log only their own exercise answers', () => {
    expect(mayPerform('student', 'exercise.answer')).toBe(true);
    expect(mayPerform('student', 'view.set')).toBe(false);
    expect(mayPerform('student', 'probe.set')).toBe(false);
    expect(mayPerform('instructor', 'view.set')).toBe(true);
  });

  it('lets the projector send nothing, not even an answer', () => {
    expect(mayPerform('presenter', 'exercise.answer')).toBe(false);
    expect(mayPerform('presenter', 'display.set')).toBe(false);
    expect(mayPerform('instructor', 'display.set')).toBe(true);
  });

  it('takes a presenter join without a name, never with the instructor key', () => {
    const base = { protocolVersion: 2, joinCode: 'ABCDEF' };
    expect(joinRequestSchema.safeParse({ ...base, presenter: true }).success).toBe(true);
    const withKey = { ...base, presenter: true, instructorKey: 'k'.repeat(32) };
    expect(joinRequestSchema.safeParse(withKey).success).toBe(false);
    expect(joinRequestSchema.safeParse({ ...base, presenter: false }).success).toBe(false);
  });

  it('checks what the projector shows', () => {
    expect(
      actionSchema.safeParse({ type: 'display.set', display: { joinCode: false, explain: true } }).success,
    ).toBe(true);
    expect(actionSchema.safeParse({ type: 'display.set', display: { joinCode: 'no' } }).success).toBe(false);
  });

  it('refuses malformed actions with a reason', () => {
    expect(actionSchema.safeParse({ type: 'view.set', view: 'nope' }).success).toBe(false);
    expect(actionSchema.safeParse({ type: 'drop.tables' }).success).toBe(false);
    const patch = actionSchema.safeParse({
      type: 'occlusion.set',
      params: { patch: 0, stride: 4, fill: 'grey', classIndex: null },
    });
    expect(patch.success).toBe(false);
  });

  it('requires a name or a key to join', () => {
    expect(joinRequestSchema.safeParse({ protocolVersion: 1, joinCode: 'ABCDEF' }).success).toBe(false);
    expect(joinRequestSchema.safeParse({ protocolVersion: 1, joinCode: 'ABCDEF', name: 'Bo' }).success).toBe(
      true,
    );
  });
});
