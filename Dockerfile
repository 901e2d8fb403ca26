# The command line of VQ Anomaly Review in a container: train, score, evaluate on a mounted folder.
# It runs the files of the packaged extension (the .vsix that scripts/package.sh builds and
# test/package/ checks), on the wasm backend: no GPU, no native library, any x86-64 or arm64 machine.
#
#   docker build -t vq-anomaly .
#   docker run --rm -v "$PWD/data:/data" vq-anomaly score /data/model /data/scans --csv > scores.csv
#   docker run --rm -v "$PWD/data:/data" vq-anomaly evaluate /data/model /data/test --out /data/report
#
# With an NVIDIA GPU (tfjs-node-gpu: CUDA 11.2 and cuDNN 8.1, as TensorFlow.js 4.22 needs):
#   docker build --target cli-gpu -t vq-anomaly:gpu .
#   docker run --rm --gpus all -v "$PWD/data:/data" vq-anomaly:gpu score /data/model /data/scans --backend tensorflow-gpu
#
# Building needs the npm registry (and, for cli-gpu, the download of libtensorflow that the
# tfjs-node-gpu package's install script makes). docs/container.md: running it as parallel jobs.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the optional native backends (tfjs-node, tfjs-node-gpu, webgpu) would download
# their binaries; the package does not carry them (cli-gpu below installs tfjs-node-gpu itself).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN bash scripts/package.sh /tmp/vq-anomaly-review.vsix >/dev/null \
 && node scripts/unpack-vsix.mjs /tmp/vq-anomaly-review.vsix /opt/vq-anomaly

# The CUDA variant: the same files, Node copied from the Node image, and tfjs-node-gpu installed in a
# folder of its own (installing it beside the extension's package.json would install all of that);
# NODE_PATH lets the CLI find it, and `--backend auto` picks it first.
FROM ${CUDA_IMAGE} AS cli-gpu
COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=build /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
COPY --from=build /opt/vq-anomaly /opt/vq-anomaly
RUN node /usr/local/lib/node_modules/npm/bin/npm-cli.js install --prefix /opt/tfjs-node-gpu \
      --no-audit --no-fund @tensorflow/tfjs-node-gpu@4.22.0 \
 && rm -rf /usr/local/lib/node_modules/npm /root/.npm
ENV NODE_PATH=/opt/tfjs-node-gpu/node_modules
WORKDIR /data
ENTRYPOINT ["node", "/opt/vq-anomaly/dist/cli.js"]
CMD ["--help"]

# The default image (the last stage): Debian with Node 20 and the packaged extension's files.
FROM ${NODE_IMAGE} AS cli
COPY --from=build /opt/vq-anomaly /opt/vq-anomaly
WORKDIR /data
# Runs as the image's unprivileged `node` user: give it a folder it may write (docker run --user, or chown).
USER node
ENTRYPOINT ["node", "/opt/vq-anomaly/dist/cli.js"]
CMD ["--help"]
