// Batch consume for node-rdkafka's KafkaConsumer: takes up to `max` messages on a libuv threadpool thread and packs
// them into ONE buffer there, so the JavaScript thread receives one Buffer per batch instead of one object per message.
//
// Why: node-rdkafka turns every consumed message into a JavaScript object on the main thread (named property sets,
// a topic string, copies of key and value): about 2.7 us per message, half of a plain sink's main-thread time in the
// profile of bench scenario b. Here the copying happens off the main thread and the JavaScript side decodes the
// buffer with typed reads.
//
// It drives the same librdkafka consumer node-rdkafka created (its RdKafka::KafkaConsumer, reached through the
// wrapped object), exactly as node-rdkafka's own consume does: the same consume() call under the same connection
// read lock, so rebalance callbacks, errors and disconnects behave as with node-rdkafka's path. It links the very
// librdkafka libraries node-rdkafka loaded (same sonames, already in the process), so there is one librdkafka.
//
// Layout (little-endian), per batch: u32 count, then per message:
//   i32 partition, f64 offset, f64 timestamp (-1: none), u8 timestamp type (0 none, 1 create, 2 log append),
//   u16 topic index (into the topics array passed alongside), i32 key length (-1: null), i32 value length (-1: null),
//   u32 header count, key bytes, value bytes, then per header: u32 name length, name, i32 value length (-1), value.
#include <nan.h>
#include <uv.h>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>
#include "src/kafka-consumer.h"

namespace {

// Reaches node-rdkafka's protected connection state. Never instantiated: only a view of the same object.
class ConsumerView : public NodeKafka::KafkaConsumer {
 public:
  static uv_rwlock_t* Lock(NodeKafka::KafkaConsumer* c) { return &static_cast<ConsumerView*>(c)->m_connection_lock; }
  static bool Connected(NodeKafka::KafkaConsumer* c) {
    ConsumerView* v = static_cast<ConsumerView*>(c);
    return !v->m_is_closing && v->m_client != nullptr;  // node-rdkafka's Connection::IsConnected()
  }
  static RdKafka::Handle* Client(NodeKafka::KafkaConsumer* c) { return static_cast<ConsumerView*>(c)->m_client; }
};

// A growing malloc'd block: handed to the Buffer as it is (no copy on the JavaScript thread).
class Packer {
 public:
  ~Packer() { std::free(data_); }
  void Reserve(size_t n) { Grow(n); }
  void U8(uint8_t v) { Raw(&v, 1); }
  template <typename T> void Put(T v) { Raw(&v, sizeof(T)); }
  void Raw(const void* p, size_t n) {
    if (n == 0) return;
    if (size_ + n > capacity_) Grow(size_ + n);
    std::memcpy(data_ + size_, p, n);
    size_ += n;
  }
  size_t Size() const { return size_; }
  char* Release() { char* d = data_; data_ = nullptr; size_ = capacity_ = 0; return d; }

 private:
  void Grow(size_t n) {
    if (n <= capacity_) return;
    size_t next = capacity_ == 0 ? 4096 : capacity_;
    while (next < n) next *= 2;
    char* grown = static_cast<char*>(std::realloc(data_, next));
    if (grown == nullptr) throw std::bad_alloc();
    data_ = grown;
    capacity_ = next;
  }
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class BatchConsumeWorker : public Nan::AsyncWorker {
 public:
  BatchConsumeWorker(Nan::Callback* callback, NodeKafka::KafkaConsumer* consumer, uint32_t max, int timeout_ms)
    : Nan::AsyncWorker(callback, "connect:batchConsume"), consumer_(consumer), max_(max), timeout_ms_(timeout_ms) {}

  void Execute() override {
    if (!ConsumerView::Connected(consumer_)) { Fail(RdKafka::ERR__STATE, "KafkaConsumer is not connected"); return; }
    uv_rwlock_t* lock = ConsumerView::Lock(consumer_);
    uv_rwlock_rdlock(lock);
    if (!ConsumerView::Connected(consumer_)) {
      uv_rwlock_rdunlock(lock);
      Fail(RdKafka::ERR__STATE, "KafkaConsumer is not connected");
      return;
    }
    RdKafka::KafkaConsumer* consumer = dynamic_cast<RdKafka::KafkaConsumer*>(ConsumerView::Client(consumer_));
    std::vector<RdKafka::Message*> messages;
    int timeout = timeout_ms_;
    while (messages.size() < max_) {
      RdKafka::Message* m = consumer->consume(timeout);
      RdKafka::ErrorCode code = m->err();
      if (code == RdKafka::ERR_NO_ERROR) {
        messages.push_back(m);
        // Only the first message is waited for: the batch is whatever is queued behind it, so a trickle of records
        // is delivered as it comes instead of after `max` of them.
        timeout = 0;
        continue;
      }
      if (code == RdKafka::ERR__PARTITION_EOF) { delete m; timeout = 0; continue; }
      if (code != RdKafka::ERR__TIMED_OUT && code != RdKafka::ERR__TIMED_OUT_QUEUE && messages.empty()) Fail(code, m->errstr());
      delete m;
      break;
    }
    uv_rwlock_rdunlock(lock);
    Pack(messages);
    for (RdKafka::Message* m : messages) delete m;
  }

  void HandleOKCallback() override {
    Nan::HandleScope scope;
    if (error_ != RdKafka::ERR_NO_ERROR) {
      v8::Local<v8::Object> err = Nan::Error(Nan::New(error_message_).ToLocalChecked()).As<v8::Object>();
      Nan::Set(err, Nan::New("code").ToLocalChecked(), Nan::New<v8::Number>(error_));
      Nan::Set(err, Nan::New("isFatal").ToLocalChecked(), Nan::New<v8::Boolean>(error_ == RdKafka::ERR__FATAL));
      v8::Local<v8::Value> argv[] = { err };
      callback->Call(1, argv, async_resource);
      return;
    }
    v8::Local<v8::Array> topics = Nan::New<v8::Array>(static_cast<int>(topics_.size()));
    for (size_t i = 0; i < topics_.size(); i++) Nan::Set(topics, static_cast<uint32_t>(i), Nan::New(topics_[i]).ToLocalChecked());
    size_t size = packer_.Size();
    v8::Local<v8::Object> buffer = Nan::NewBuffer(packer_.Release(), static_cast<uint32_t>(size)).ToLocalChecked();
    v8::Local<v8::Value> argv[] = { Nan::Null(), buffer, topics };
    callback->Call(3, argv, async_resource);
  }

 private:
  void Fail(RdKafka::ErrorCode code, const std::string& message) {
    error_ = code;
    error_message_ = message.empty() ? RdKafka::err2str(code) : message;
  }

  uint16_t TopicIndex(const std::string& name) {
    for (size_t i = 0; i < topics_.size(); i++) if (topics_[i] == name) return static_cast<uint16_t>(i);
    topics_.push_back(name);
    return static_cast<uint16_t>(topics_.size() - 1);
  }

  void Pack(const std::vector<RdKafka::Message*>& messages) {
    size_t estimate = 4;
    for (RdKafka::Message* m : messages) estimate += 40 + m->len() + m->key_len();
    packer_.Reserve(estimate);
    packer_.Put<uint32_t>(static_cast<uint32_t>(messages.size()));
    for (RdKafka::Message* m : messages) {
      RdKafka::MessageTimestamp ts = m->timestamp();
      const void* key = m->key_pointer();
      const void* value = m->payload();
      RdKafka::Headers* headers = m->headers();
      std::vector<RdKafka::Headers::Header> all;
      if (headers != nullptr) all = headers->get_all();
      packer_.Put<int32_t>(m->partition());
      packer_.Put<double>(static_cast<double>(m->offset()));
      packer_.Put<double>(ts.type == RdKafka::MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE ? -1.0 : static_cast<double>(ts.timestamp));
      packer_.U8(ts.type == RdKafka::MessageTimestamp::MSG_TIMESTAMP_CREATE_TIME ? 1 : ts.type == RdKafka::MessageTimestamp::MSG_TIMESTAMP_LOG_APPEND_TIME ? 2 : 0);
      packer_.Put<uint16_t>(TopicIndex(m->topic_name()));
      packer_.Put<int32_t>(key == nullptr ? -1 : static_cast<int32_t>(m->key_len()));
      packer_.Put<int32_t>(value == nullptr ? -1 : static_cast<int32_t>(m->len()));
      packer_.Put<uint32_t>(static_cast<uint32_t>(all.size()));
      if (key != nullptr) packer_.Raw(key, m->key_len());
      if (value != nullptr) packer_.Raw(value, m->len());
      for (const RdKafka::Headers::Header& h : all) {
        const std::string name = h.key();
        packer_.Put<uint32_t>(static_cast<uint32_t>(name.size()));
        packer_.Raw(name.data(), name.size());
        const void* hv = h.value();
        packer_.Put<int32_t>(hv == nullptr ? -1 : static_cast<int32_t>(h.value_size()));
        if (hv != nullptr) packer_.Raw(hv, h.value_size());
      }
    }
  }

  NodeKafka::KafkaConsumer* consumer_;
  uint32_t max_;
  int timeout_ms_;
  RdKafka::ErrorCode error_ = RdKafka::ERR_NO_ERROR;
  std::string error_message_;
  std::vector<std::string> topics_;
  Packer packer_;
};

// batchConsume(nativeConsumer, max, timeoutMs, callback(err, buffer, topics))
NAN_METHOD(BatchConsume) {
  if (info.Length() < 4 || !info[0]->IsObject() || !info[3]->IsFunction()) {
    Nan::ThrowTypeError("batchConsume(consumer, max, timeoutMs, callback)");
    return;
  }
  v8::Local<v8::Object> wrapped = info[0].As<v8::Object>();
  if (wrapped->InternalFieldCount() < 1) {
    Nan::ThrowTypeError("batchConsume: not a node-rdkafka KafkaConsumer handle");
    return;
  }
  NodeKafka::KafkaConsumer* consumer = Nan::ObjectWrap::Unwrap<NodeKafka::KafkaConsumer>(wrapped);
  uint32_t max = Nan::To<uint32_t>(info[1]).FromMaybe(500);
  int timeout = Nan::To<int32_t>(info[2]).FromMaybe(200);
  Nan::Callback* callback = new Nan::Callback(info[3].As<v8::Function>());
  BatchConsumeWorker* worker = new BatchConsumeWorker(callback, consumer, max == 0 ? 1 : max, timeout);
  // The wrapped consumer must outlive the work: nothing else may hold it (a task dropped while its read-ahead runs),
  // and a collected wrapper deletes the librdkafka consumer this thread is using.
  worker->SaveToPersistent("consumer", wrapped);
  Nan::AsyncQueueWorker(worker);
}

NAN_MODULE_INIT(Init) {
  Nan::Set(target, Nan::New("batchConsume").ToLocalChecked(), Nan::GetFunction(Nan::New<v8::FunctionTemplate>(BatchConsume)).ToLocalChecked());
}

}  // namespace

NODE_MODULE(connect_batch_consume, Init)
