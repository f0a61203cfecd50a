// One-line notes for the curated checkpoints in the model picker (family and size), shown next to each id.
export const SUGGESTED_MODEL_NOTES: Record<string, string> = {
  'google-bert/bert-base-uncased': 'BERT encoder, 110 M',
  'distilbert/distilbert-base-uncased': 'DistilBERT encoder, 66 M',
  'sentence-transformers/all-MiniLM-L6-v2': 'BERT encoder, 23 M',
  'BAAI/bge-small-en-v1.5': 'BERT encoder, 33 M',
  'FacebookAI/roberta-base': 'RoBERTa encoder, 125 M',
  'openai-community/gpt2': 'GPT-2 decoder, 124 M',
  'distilbert/distilgpt2': 'GPT-2 decoder, 82 M',
  'HuggingFaceTB/SmolLM2-135M': 'Llama decoder, 135 M',
  'Qwen/Qwen2.5-0.5B': 'Qwen2 decoder, 494 M, BF16',
};
