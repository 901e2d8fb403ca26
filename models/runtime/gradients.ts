// tfjs-core on its own registers no gradient functions, so tf.grads and the optimizers fail ("gradient
// function not found"). Loading the @tensorflow/tfjs package registers all of them, in the registry that
// every tfjs-core copy shares; its ops are not used otherwise. tfjs-node loads it too.
import { requirePackage } from './loadPackage';

/** Registers the gradient of every tfjs kernel; safe to call more than once. */
export function registerGradients(): void {
  requirePackage('@tensorflow/tfjs');
}
