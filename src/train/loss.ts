// Losses for training steps: mean softmax cross-entropy over integer class labels.
// Depends only on tfjs-core; call inside tf.tidy (nothing here disposes).
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyRows, webGpuKernelsActive } from '../model/kernels/webgpu/ops';

/**
 * Mean over the batch of -log softmax(logits)[label], as torch's CrossEntropyLoss (mean).
 * logits [B, L] float32, labels [B] int32 class ids in [0, L).
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const numClasses = logits.shape[1];
  // WebGPU: loss rows and their gradient from one kernel each (kernels/webgpu).
  if (webGpuKernelsActive()) return tf.div(tf.sum(crossEntropyRows(logits, labels)), logits.shape[0]) as tf.Scalar;
  // tf.logSoftmax subtracts the row max before exp (stable) and has its own exact gradient.
  const logProbs = tf.logSoftmax(logits, 1); // [B, L]
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(labels, 'int32'), numClasses)), 1); // [B]
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}
