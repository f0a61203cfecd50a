// Pick or drop a local model folder (config.json, tokenizer.json, tokenizer_config.json, model.safetensors or shards);
// the Files go to the worker as they are, nothing is uploaded.
import { useState, type DragEvent } from 'react';
import { chooseLocalModel } from '../../state/modelActions';
import { useStudioStore } from '../../state/studioStore';

/** Files of a dropped folder (one level deep is what model folders have; nested folders are walked too). */
async function filesFromDrop(items: DataTransferItemList): Promise<File[]> {
  const entries = [...items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      out.push(new File([file], file.name, { type: file.type }));
      Object.defineProperty(out[out.length - 1], 'webkitRelativePath', { value: `${prefix}${file.name}` });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

export function LocalModelInput({ disabled }: { disabled: boolean }) {
  const choice = useStudioStore((s) => s.modelChoice);
  const [over, setOver] = useState(false);
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = e.dataTransfer.items?.length ? await filesFromDrop(e.dataTransfer.items) : [...e.dataTransfer.files];
    if (files.length) chooseLocalModel(files);
  };
  return (
    <div
      className={over ? 'dropzone over' : 'dropzone'}
      data-testid="model-dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <p>
        Drop a model folder here, or pick it: config.json, tokenizer.json, tokenizer_config.json and model.safetensors (or its shards with
        model.safetensors.index.json).
      </p>
      <div className="row">
        <label>
          Model folder{' '}
          <input
            type="file"
            disabled={disabled}
            {...{ webkitdirectory: '' }}
            onChange={(e) => e.target.files?.length && chooseLocalModel([...e.target.files])}
          />
        </label>
        <label>
          Model files{' '}
          <input
            type="file"
            multiple
            disabled={disabled}
            accept=".json,.safetensors,.txt,.model"
            onChange={(e) => e.target.files?.length && chooseLocalModel([...e.target.files])}
          />
        </label>
      </div>
      {choice.kind === 'local' && (
        <p className="muted" data-testid="local-model-files">
          {choice.name}:{' '}
          {choice.files
            .map((f) => f.name)
            .sort()
            .join(', ')}
        </p>
      )}
    </div>
  );
}
