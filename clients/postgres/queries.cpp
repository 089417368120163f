#include "cogi/clients/postgres/queries.hpp"

namespace cogi::postgres {

std::vector<call> batch::calls() {
  std::vector<call> calls;
  calls.reserve(sources_.size());
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const queued_query& s = sources_[i];
    const param_arrays params = params_.arrays(i);
    calls.push_back(s.prepared ? detail::make_call(*s.prepared, params) : detail::make_call(s.sql, params));
  }
  return calls;
}

}  // namespace cogi::postgres
