export interface Choice<T extends string | number> {
  value: T;
  label: string;
}

/** A select with its caption above it; the value keeps the type of the choices. */
export function LabelledSelect<T extends string | number>({
  label,
  ariaLabel,
  value,
  choices,
  onChange,
  className = '',
}: {
  label: string;
  ariaLabel?: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange: (value: T) => void;
  className?: string;
}) {
  return (
    <label className="flex flex-col">
      <span className="text-slate-600">{label}</span>
      <select
        aria-label={ariaLabel ?? label}
        value={String(value)}
        onChange={(e) => {
          const picked = choices.find((c) => String(c.value) === e.target.value);
          if (picked) onChange(picked.value);
        }}
        className={`rounded border px-2 py-1 ${className}`}
      >
        {choices.map((c) => (
          <option key={String(c.value)} value={String(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
