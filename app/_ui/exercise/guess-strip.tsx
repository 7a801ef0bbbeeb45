import { formatPercent } from '@/lib/exercises/cells';

/** Every guess on a 0–100 % line, the truth as a red mark and the viewer's own guess highlighted. */
export function GuessStrip({
  guesses,
  own,
  truth,
  width = 420,
}: {
  guesses: number[];
  own: number | null;
  truth: number;
  width?: number;
}) {
  const pad = 12;
  const x = (percent: number) => pad + (percent / 100) * (width - 2 * pad);
  return (
    <svg
      width={width}
      height={64}
      role="img"
      aria-label={`The class's guesses from 0 to 100 %; the truth is ${formatPercent(truth)} %`}
      className="max-w-full"
    >
      <line x1={x(0)} x2={x(100)} y1={32} y2={32} stroke="#94a3b8" strokeWidth={2} />
      {[0, 25, 50, 75, 100].map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={28} y2={36} stroke="#94a3b8" />
          <text x={x(t)} y={56} textAnchor="middle" fontSize={11} fill="#475569">
            {t}%
          </text>
        </g>
      ))}
      {guesses.map((g, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: guesses have no identity of their own here
        <circle key={i} cx={x(g)} cy={32} r={6} fill="#6366f1" fillOpacity={0.45} />
      ))}
      {own !== null && <circle cx={x(own)} cy={32} r={7} fill="none" stroke="#0891b2" strokeWidth={3} />}
      <line x1={x(truth)} x2={x(truth)} y1={10} y2={44} stroke="#dc2626" strokeWidth={3} />
      <text x={x(truth)} y={8} textAnchor="middle" fontSize={11} fill="#b91c1c">
        truth
      </text>
    </svg>
  );
}
