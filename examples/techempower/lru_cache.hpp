#pragma once
// A bounded map that forgets its least recently used entry when full. Loop-local (one
// per loop, no lock), as the TechEmpower app keeps its cache of World rows.

#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>
#include <utility>

namespace cogi::techempower {

struct cache_stats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t evictions = 0;
};

template <class Key, class Value>
class lru_cache {
 public:
  explicit lru_cache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) { index_.reserve(capacity_); }

  // The value, now the most recently used; nullptr when absent.
  const Value* find(const Key& key) {
    const auto found = index_.find(key);
    if (found == index_.end()) {
      ++stats_.misses;
      return nullptr;
    }
    ++stats_.hits;
    order_.splice(order_.begin(), order_, found->second);
    return &found->second->second;
  }

  // Inserts or replaces; evicts the least recently used entry when full.
  void put(const Key& key, Value value) {
    if (const auto found = index_.find(key); found != index_.end()) {
      found->second->second = std::move(value);
      order_.splice(order_.begin(), order_, found->second);
      return;
    }
    if (index_.size() == capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
      ++stats_.evictions;
    }
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
  }

  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return capacity_; }
  const cache_stats& stats() const { return stats_; }

 private:
  using entry = std::pair<Key, Value>;
  std::size_t capacity_;
  std::list<entry> order_;  // most recently used first
  std::unordered_map<Key, typename std::list<entry>::iterator> index_;
  cache_stats stats_;
};

}  // namespace cogi::techempower
