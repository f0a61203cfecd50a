// The train.py of the Python recipe (issue 14): transformers Trainer + PEFT LoRA for sequence classification, the
// studio's settings embedded as JSON so the script carries every one. Runs with `python train.py` or
// `accelerate launch [--config_file accelerate/<deepspeed|fsdp>.yaml] train.py` (Trainer picks accelerate up).
export const TRAIN_PY = String.raw`"""Reproduce a Fine-tuning Studio run with Hugging Face transformers + PEFT.

    pip install -r requirements.txt
    python train.py                                   # one GPU or the CPU
    accelerate launch train.py                        # several GPUs (data parallel)
    accelerate launch --config_file accelerate/deepspeed_zero2.yaml train.py
    accelerate launch --config_file accelerate/fsdp.yaml train.py

Reads data/train.csv and data/validation.csv (the studio's exact split) and writes the LoRA adapter to
adapter/ in the layout the studio exports (adapter_config.json, adapter_model.safetensors, label_map.json).
"""
import csv
import json
import math
import os

import numpy as np
import torch
from peft import LoraConfig, TaskType, get_peft_model
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    EarlyStoppingCallback,
    Trainer,
    TrainingArguments,
    set_seed,
)

HERE = os.path.dirname(os.path.abspath(__file__))
# Every setting of the studio run, as the studio recorded it (camelCase keys are the studio's names).
STUDIO = json.loads(r"""__STUDIO_JSON__""")
CONFIG = STUDIO["trainConfig"]


def read_rows(name):
    with open(os.path.join(HERE, "data", name), newline="", encoding="utf-8") as f:
        return [(row["text"], row["label"]) for row in csv.DictReader(f)]


class TextDataset(torch.utils.data.Dataset):
    def __init__(self, rows, tokenizer, label2id):
        self.items = [
            {**tokenizer(text, truncation=True, max_length=CONFIG["maxSeqLength"]), "labels": label2id[label]}
            for text, label in rows
        ]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def compute_metrics(pred):
    logits, labels = pred
    predicted = np.argmax(logits, axis=-1)
    f1s = []
    for c in range(logits.shape[-1]):
        tp = int(((predicted == c) & (labels == c)).sum())
        fp = int(((predicted == c) & (labels != c)).sum())
        fn = int(((predicted != c) & (labels == c)).sum())
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return {"accuracy": float((predicted == labels).mean()), "macro_f1": float(np.mean(f1s))}


def main():
    set_seed(CONFIG["seed"])
    labels = STUDIO["labelNames"]
    label2id = {l: i for i, l in enumerate(labels)}
    model_id, revision = STUDIO["modelId"], STUDIO["revision"]
    tokenizer = AutoTokenizer.from_pretrained(model_id, revision=revision)
    model = AutoModelForSequenceClassification.from_pretrained(
        model_id,
        revision=revision,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id=label2id,
    )
    if tokenizer.pad_token is None:  # decoders (GPT-2, Llama) classify from the last non-pad token
        tokenizer.pad_token = tokenizer.eos_token
    model.config.pad_token_id = tokenizer.pad_token_id
    lora = LoraConfig(
        task_type=TaskType.SEQ_CLS,  # adds the classifier head (classifier / score) to modules_to_save
        r=CONFIG["loraR"],
        lora_alpha=CONFIG["loraAlpha"],
        lora_dropout=CONFIG["loraDropout"],
        target_modules=STUDIO["targetModules"],
        fan_in_fan_out=STUDIO["fanInFanOut"],
    )
    model = get_peft_model(model, lora)
    model.print_trainable_parameters()

    train = TextDataset(read_rows("train.csv"), tokenizer, label2id)
    validation = TextDataset(read_rows("validation.csv"), tokenizer, label2id)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    steps_per_epoch = max(1, math.ceil(len(train) / (CONFIG["batchSize"] * CONFIG["gradAccumSteps"] * world)))
    eval_steps = CONFIG["evalEverySteps"] or max(1, steps_per_epoch // 4)
    save_steps = CONFIG["checkpointEverySteps"] or eval_steps
    if save_steps % eval_steps:  # load_best_model_at_end needs checkpoints on evaluation steps
        save_steps = eval_steps
    args = TrainingArguments(
        output_dir=os.path.join(HERE, "checkpoints"),
        learning_rate=CONFIG["learningRate"],
        per_device_train_batch_size=CONFIG["batchSize"],
        per_device_eval_batch_size=CONFIG["batchSize"],
        gradient_accumulation_steps=CONFIG["gradAccumSteps"],
        num_train_epochs=CONFIG["epochs"],
        weight_decay=CONFIG["weightDecay"],
        lr_scheduler_type=CONFIG["lrDecay"],
        warmup_ratio=STUDIO["warmupRatio"],
        eval_strategy="steps",
        eval_steps=eval_steps,
        save_strategy="steps",
        save_steps=save_steps,
        save_total_limit=2,
        logging_steps=1,
        load_best_model_at_end=CONFIG["earlyStopping"],
        metric_for_best_model="eval_loss",
        greater_is_better=False,
        seed=CONFIG["seed"],
        report_to=[],
    )
    callbacks = []
    if CONFIG["earlyStopping"]:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=CONFIG["patience"], early_stopping_threshold=CONFIG["minDelta"]))
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train,
        eval_dataset=validation,
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=compute_metrics,
        callbacks=callbacks,
    )
    trainer.evaluate()  # the studio also validates before the first step
    trainer.train()
    print(trainer.evaluate())
    if trainer.is_world_process_zero():
        out = os.path.join(HERE, "adapter")
        model.save_pretrained(out)  # adapter_config.json + adapter_model.safetensors, as the studio exports
        with open(os.path.join(out, "label_map.json"), "w", encoding="utf-8") as f:
            json.dump({"id2label": dict(enumerate(labels)), "label2id": label2id}, f, indent=2)
        print("adapter written to", out)


if __name__ == "__main__":
    main()
`;
