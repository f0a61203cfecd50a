// Losses for training steps: mean softmax cross-entropy over integer class labels.
// Depends only on tfjs-core; call inside tf.tidy (nothing here disposes).
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean over the batch of -log softmax(logits)[label], as torch's CrossEntropyLoss (mean).
 * logits [B, L] float32, labels [B] int32 class ids in [0, L).
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const numClasses = logits.shape[1];
  // tf.logSoftmax subtracts the row max before exp (stable) and has its own exact gradient.
  const logProbs = tf.logSoftmax(logits, 1); // [B, L]
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(labels, 'int32'), numClasses)), 1); // [B]
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}
