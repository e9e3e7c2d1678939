# Built by `npm install` (package.json "install"): the batch consume addon on node-rdkafka's own librdkafka.
# Linked against the librdkafka libraries node-rdkafka built, which node-rdkafka has already loaded by the time this
# addon is (same sonames): one librdkafka in the process. When the build fails the worker uses node-rdkafka's consume.
{
  "variables": {
    "rdkafka_dir%": "<!(node -p \"require('path').dirname(require.resolve('node-rdkafka/package.json'))\")"
  },
  "targets": [
    {
      "target_name": "connect_batch_consume",
      "sources": ["batch-consume.cc"],
      "include_dirs": [
        "<!(node -e \"require('nan')\")",
        "<(rdkafka_dir)",
        "<(rdkafka_dir)/deps/librdkafka/src",
        "<(rdkafka_dir)/deps/librdkafka/src-cpp"
      ],
      "cflags_cc": ["-std=c++20", "-O2", "-Wno-cast-function-type", "-Wno-ignored-qualifiers"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "libraries": [
        "<(rdkafka_dir)/build/deps/librdkafka.so",
        "<(rdkafka_dir)/build/deps/librdkafka++.so",
        "-Wl,-rpath,<(rdkafka_dir)/build/deps"
      ]
    }
  ]
}
