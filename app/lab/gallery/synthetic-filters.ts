// Synthetic first-layer filters for the gallery, with planted near-duplicates.

import type { RgbaTile } from '@/lib/viz';
import {
  type FilterBank,
  type FilterSimilarity,
  nearDuplicates,
  preferredInputs,
  renderColourFilters,
  similarityOrder,
  type TileNormalization,
} from '@/lib/viz';
import { random } from './synthetic';

/** 24 first-layer 5×5×3 filters: oriented edges and colour blobs, with a copy and a negated copy planted. */
export function syntheticFilterBank(): FilterBank {
  const k = 5;
  const count = 24;
  const next = random(7);
  const weights = new Float32Array(count * k * k * 3);
  for (let f = 0; f < count; f++) {
    const angle = (f / count) * Math.PI * 2;
    const colour = [Math.cos(f), Math.sin(f * 1.7), Math.cos(f * 2.3)];
    for (let y = 0; y < k; y++) {
      for (let x = 0; x < k; x++) {
        const u = (x - 2) * Math.cos(angle) + (y - 2) * Math.sin(angle);
        const edge = f % 3 === 0 ? Math.exp(-((x - 2) ** 2 + (y - 2) ** 2) / 3) : Math.tanh(u);
        for (let c = 0; c < 3; c++) {
          weights[((f * k + y) * k + x) * 3 + c] = edge * (0.5 + colour[c]) + (next() - 0.5) * 0.3;
        }
      }
    }
  }
  const size = k * k * 3;
  const plant = (from: number, to: number, sign: number) => {
    for (let i = 0; i < size; i++)
      weights[to * size + i] = sign * weights[from * size + i] + (next() - 0.5) * 0.05;
  };
  plant(2, 17, 1);
  plant(5, 11, -1);
  return { layer: 'conv1', kind: 'conv2d', kernelHeight: k, kernelWidth: k, inChannels: 3, count, weights };
}

export function filterTiles(bank: FilterBank, normalization: TileNormalization): RgbaTile[] {
  return renderColourFilters(bank, normalization);
}

export function preferredTiles(bank: FilterBank): RgbaTile[] {
  return preferredInputs(bank).tiles;
}

/** Cosine similarity in plain JavaScript (the real one runs on tf). */
export function similarityOf(bank: FilterBank, threshold = 0.9): FilterSimilarity {
  const n = bank.count;
  const size = bank.weights.length / n;
  const unit = Array.from({ length: n }, (_, f) => {
    const w = bank.weights.subarray(f * size, (f + 1) * size);
    const norm = Math.hypot(...w) || 1;
    return w.map((v) => v / norm);
  });
  const matrix = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let p = 0; p < size; p++) dot += unit[i][p] * unit[j][p];
      matrix[i * n + j] = dot;
    }
  }
  return {
    count: n,
    matrix,
    threshold,
    nearDuplicates: nearDuplicates(matrix, n, threshold),
    order: similarityOrder(matrix, n),
  };
}
