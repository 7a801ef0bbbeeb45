'use client';

import { useState } from 'react';
import type { ComputeJobState } from '@/lib/protocol/compute';

import type { ChannelTopActivations, TopActivatingResult } from '@/lib/viz';
import { ActivationThumbnail } from './activation-thumbnail';
import type { Size } from './geometry';
import { JobProgress } from './progress-bar';
import { TileSizeSlider } from './tile-size-slider';
import { Zoomable } from './zoomable';

export interface TopActivatingViewProps {
  result: TopActivatingResult | null;
  /** Non-null while the image set is being scanned. */
  /** The job while it is computed (queued, running, failed). */
  progress: ComputeJobState | null;
  imageUrl: (imageId: string) => string;
  /** The model's input size; `imageUrl` should serve that crop so boxes line up. */
  inputSize: Size;
  /** Channels to show, in this order. */
  channels: number[];
  labelOf?: (imageId: string) => string;
  /** Thumbnail side in screen pixels to begin with (a slider changes it on this screen). */
  thumbSize?: number;
}

export function TopActivatingView({
  result,
  progress,
  imageUrl,
  inputSize,
  channels,
  labelOf,
  thumbSize: initialSize = 128,
}: TopActivatingViewProps) {
  const [thumbSize, setThumbSize] = useState(initialSize);
  const byChannel = new Map(result?.channels.map((c) => [c.channel, c]));
  const running =
    progress !== null &&
    !(progress.state === 'running' && progress.total !== undefined && progress.done >= progress.total);
  return (
    <section data-testid="top-activating-view" aria-label="Neurons that fire" className="space-y-4">
      <header className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        {result ? (
          <p className="text-lg text-slate-700">
            <span className="font-mono font-semibold">{result.layer}</span>: top {result.k} of{' '}
            {result.imagesSeen.toLocaleString()} images, per channel (output grid {result.height}×
            {result.width})
          </p>
        ) : (
          !running && <p className="text-lg text-slate-600">No results yet.</p>
        )}
        <p className="text-sm text-slate-700">
          Box: the part of the image the strongest neuron of the channel sees. Click a photo to enlarge it.
        </p>
        <TileSizeSlider label="Photo size" value={thumbSize} onChange={setThumbSize} min={64} max={256} />
      </header>
      {progress && running && <JobProgress job={progress} unit="images" label="Images scanned" />}
      {result && (
        <ul className="space-y-4">
          {channels.map((channel) => (
            <ChannelRow
              key={channel}
              channel={channel}
              row={byChannel.get(channel)}
              imageUrl={imageUrl}
              inputSize={inputSize}
              labelOf={labelOf}
              thumbSize={thumbSize}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ChannelRow({
  channel,
  row,
  imageUrl,
  inputSize,
  labelOf,
  thumbSize,
}: {
  channel: number;
  row: ChannelTopActivations | undefined;
  imageUrl: (imageId: string) => string;
  inputSize: Size;
  labelOf?: (imageId: string) => string;
  thumbSize: number;
}) {
  return (
    <li data-testid="channel-row" data-channel={channel} className="flex flex-wrap items-start gap-4">
      <h3 className="w-24 shrink-0 pt-2 text-lg font-semibold text-slate-800">Channel {channel}</h3>
      {row ? (
        <ol
          className="flex min-w-0 flex-1 flex-wrap gap-3"
          aria-label={`Images that fire channel ${channel} most, strongest first`}
        >
          {row.top.map((activation, i) => {
            const label = labelOf?.(activation.imageId) ?? activation.imageId;
            const alt = `${label}: rank ${i + 1}, activation ${activation.value.toFixed(2)}`;
            const thumbnail = (size: number) => (
              <ActivationThumbnail
                activation={activation}
                src={imageUrl(activation.imageId)}
                inputSize={inputSize}
                size={size}
                rank={i + 1}
                alt={alt}
                caption={label}
              />
            );
            return (
              <li key={activation.imageId}>
                <Zoomable label={`Channel ${channel}, rank ${i + 1}: ${label}`} large={() => thumbnail(512)}>
                  {thumbnail(thumbSize)}
                </Zoomable>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="pt-2 text-slate-500">Channel {channel} was not ranked in this run.</p>
      )}
    </li>
  );
}
