// Adam (Kingma & Ba 2015, alg. 1) over named variables, with a learning rate given at every step (for
// the schedule) and a state that can be saved and restored exactly (for resuming a training):
//   m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,  theta <- theta - lr * m_hat / (sqrt(v_hat) + eps),
//   m_hat = m / (1 - b1^t),  v_hat = v / (1 - b2^t).
// tf.train.adam is not used: its moments are keyed by tfjs's global variable names, which differ between
// processes, and its bias corrections are accumulated products that a restore cannot reproduce bit for bit.
import * as tf from '@tensorflow/tfjs-core';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** The saved state: the step count t and the moments as `m/<weight name>`, `v/<weight name>`. */
export interface AdamState {
  step: number;
  moments: tf.NamedTensorMap;
}

export class Adam {
  private step = 0;
  private readonly first: Record<string, tf.Variable> = {};
  private readonly second: Record<string, tf.Variable> = {};

  /** `variables`: the trainable weights by stable name. */
  constructor(private readonly variables: Record<string, tf.Variable>) {
    const zeros = (like: tf.Variable): tf.Variable => tf.tidy(() => tf.variable(tf.zerosLike(like), false));
    for (const [name, variable] of Object.entries(variables)) {
      this.first[name] = zeros(variable);
      this.second[name] = zeros(variable);
    }
  }

  /** Computes the gradients of `loss` and takes one step with `learningRate`; returns the loss value (the caller disposes it). */
  minimize(loss: () => tf.Scalar, learningRate: number): tf.Scalar {
    const names = Object.keys(this.variables);
    const { value, grads } = tf.variableGrads(
      loss,
      names.map((name) => this.variables[name]),
    );
    this.step++;
    const correction1 = 1 - BETA1 ** this.step;
    const correction2 = 1 - BETA2 ** this.step;
    tf.tidy(() => {
      for (const name of names) {
        const gradient = grads[this.variables[name].name];
        if (gradient === undefined) continue; // a weight the loss does not depend on
        this.first[name].assign(tf.add(tf.mul(BETA1, this.first[name]), tf.mul(1 - BETA1, gradient)));
        this.second[name].assign(tf.add(tf.mul(BETA2, this.second[name]), tf.mul(1 - BETA2, tf.square(gradient))));
        const mHat = tf.div(this.first[name], correction1);
        const vHat = tf.div(this.second[name], correction2);
        this.variables[name].assign(tf.sub(this.variables[name], tf.mul(learningRate, tf.div(mHat, tf.add(tf.sqrt(vHat), EPSILON)))));
      }
    });
    tf.dispose(grads);
    return value;
  }

  /** The state as live tensors (do not dispose them). */
  getState(): AdamState {
    const moments: tf.NamedTensorMap = {};
    for (const name of Object.keys(this.variables)) {
      moments[`m/${name}`] = this.first[name];
      moments[`v/${name}`] = this.second[name];
    }
    return { step: this.step, moments };
  }

  /** Restores a state saved by getState for the same weights; throws naming the first missing or misshaped moment. */
  setState(state: AdamState): void {
    for (const [name, variable] of Object.entries(this.variables)) {
      for (const key of [`m/${name}`, `v/${name}`]) {
        const value = state.moments[key];
        if (!value || !tf.util.arraysEqual(value.shape, variable.shape))
          throw new Error(`The optimizer state does not fit the model: moment '${key}' is missing or misshaped`);
      }
    }
    for (const name of Object.keys(this.variables)) {
      this.first[name].assign(state.moments[`m/${name}`]);
      this.second[name].assign(state.moments[`v/${name}`]);
    }
    this.step = state.step;
  }

  dispose(): void {
    tf.dispose([...Object.values(this.first), ...Object.values(this.second)]);
  }
}
