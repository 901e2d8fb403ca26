// The named weights of a model, in creation order: trainable ones, and state that training updates
// directly (BatchNorm running statistics, the EMA codebook's averages). Names are stable ('encoder/down0/kernel')
// and are what checkpoints store; the tf.Variables themselves stay unnamed so that several models can
// live in one tfjs engine (variable names are global there).
import * as tf from '@tensorflow/tfjs-core';

const shapeText = (shape: readonly number[]): string => `[${shape.join(',')}]`;

export class WeightRegistry {
  private readonly byName = new Map<string, tf.Variable>();

  /** Creates a variable from `initial` (which it disposes) under a new name; `trainable: false` keeps it out of the gradients. */
  add(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    if (this.byName.has(name)) throw new Error(`WeightRegistry: weight '${name}' is defined twice`);
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    this.byName.set(name, variable);
    return variable;
  }

  /** The trainable variables, in creation order. */
  variables(): tf.Variable[] {
    return [...this.byName.values()].filter((v) => v.trainable);
  }

  /** The trainable variables by name. */
  trainable(): Record<string, tf.Variable> {
    return Object.fromEntries([...this.byName].filter(([, v]) => v.trainable));
  }

  /** The live variables by name (owned by the registry: do not dispose them). */
  named(): tf.NamedTensorMap {
    return Object.fromEntries(this.byName);
  }

  /**
   * Copies `weights` into the variables. Every name must be present with the same shape and dtype;
   * otherwise it throws "The model does not fit these weights: ..." and changes nothing.
   */
  assign(weights: tf.NamedTensorMap): void {
    const problems: string[] = [];
    for (const [name, variable] of this.byName) {
      const value = weights[name];
      if (value === undefined) problems.push(`weight '${name}' is missing`);
      else if (!tf.util.arraysEqual(value.shape, variable.shape)) {
        problems.push(`weight '${name}' has shape ${shapeText(value.shape)}, the model's is ${shapeText(variable.shape)}`);
      } else if (value.dtype !== variable.dtype) {
        problems.push(`weight '${name}' has dtype ${value.dtype}, the model's is ${variable.dtype}`);
      }
    }
    for (const name of Object.keys(weights)) {
      if (!this.byName.has(name)) problems.push(`weight '${name}' is not part of the model`);
    }
    if (problems.length > 0) throw new Error(`The model does not fit these weights: ${problems.join('; ')}`);
    // A variable given as its own value is left as it is (assigning it to itself would free its data).
    for (const [name, variable] of this.byName) if (weights[name] !== variable) variable.assign(weights[name]);
  }

  dispose(): void {
    for (const variable of this.byName.values()) variable.dispose();
    this.byName.clear();
  }
}

/** A model whose weights can be copied in (VqVae, PriorTransformer). */
export interface WeightedModel {
  setWeights(weights: tf.NamedTensorMap): void;
  dispose(): void;
}

/** `model` with `weights` copied in; when they do not fit, the model is disposed and the error rethrown. */
export function withWeights<M extends WeightedModel>(model: M, weights: tf.NamedTensorMap): M {
  try {
    model.setWeights(weights);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
