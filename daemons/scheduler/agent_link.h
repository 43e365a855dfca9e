#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "lib/cluster/replica_wire.h"

namespace hai::scheduler {

// How the deployment controller tells agents what to run. A narrow seam: the
// daemon sends over HTTP, controller tests record what was asked.
class AgentLink {
 public:
  virtual ~AgentLink() = default;
  // Both return at once; delivery is best effort because the controller
  // repeats an assignment the agent's next report does not show.
  virtual void Assign(const std::string& agent_url, const cluster::ReplicaAssignment& a) = 0;
  virtual void Remove(const std::string& agent_url, const std::string& replica_id) = 0;
};

// PUT/DELETE /internal/v1/replicas/{id} on the agent, from one background
// thread so that a slow or dead agent never stalls reconciliation.
class HttpAgentLink : public AgentLink {
 public:
  explicit HttpAgentLink(std::string cluster_token);
  ~HttpAgentLink() override;

  void Assign(const std::string& agent_url, const cluster::ReplicaAssignment& a) override;
  void Remove(const std::string& agent_url, const std::string& replica_id) override;

 private:
  struct Call {
    std::string agent_url;
    std::string method;
    std::string path;
    std::string body;
  };
  void Enqueue(Call call);
  void Run();

  const std::string token_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Call> calls_;  // GUARDED_BY(mu_)
  bool stopping_ = false;   // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace hai::scheduler
