// Signals that a host runs containers (DESIGN.md, "Container host inference"). Each returns a short
// reason a person can check, or undefined. Shared by the template rules and the live fleet scan.

/** Tags that EKS, ECS, Kubernetes tooling and cluster autoscalers put on their nodes. */
export function containerReasonFromTags(tags: Iterable<readonly [string, string]>): string | undefined {
  for (const [key] of tags) {
    if (key === "eks:cluster-name" || key === "eks:nodegroup-name") return `it carries the EKS tag ${key}`;
    if (key.startsWith("kubernetes.io/cluster/")) return `it carries the Kubernetes tag ${key}`;
    if (key.startsWith("k8s.io/cluster-autoscaler/")) return `it carries the cluster-autoscaler tag ${key}`;
    if (key.startsWith("alpha.eksctl.io/") || key.startsWith("eksctl.io/"))
      return `it carries the eksctl tag ${key}`;
    if (key === "AmazonECSManaged" || key.startsWith("aws:ecs:")) return `it carries the ECS tag ${key}`;
    if (key === "karpenter.sh/nodepool" || key === "karpenter.sh/provisioner-name")
      return `it carries the Karpenter tag ${key}`;
  }
  return undefined;
}

const CONTAINER_AMI_PATTERNS: readonly [RegExp, string][] = [
  [/\/aws\/service\/eks\/optimized-ami\//i, "its AMI is an EKS-optimized AMI"],
  [/\/aws\/service\/ecs\/optimized-ami\//i, "its AMI is an ECS-optimized AMI"],
  [/\/aws\/service\/bottlerocket\//i, "its AMI is Bottlerocket, a container OS"],
  [/amazon-eks-node|eks-node-|amazon-eks-/i, "its AMI is an EKS-optimized AMI"],
  [/amzn2?-ami-ecs|al2023-ami-ecs|ecs-optimized/i, "its AMI is an ECS-optimized AMI"],
  [/bottlerocket/i, "its AMI is Bottlerocket, a container OS"],
];

/** An AMI id, name or public SSM parameter path that names a container-optimized image. */
export function containerReasonFromImage(image: string): string | undefined {
  for (const [pattern, reason] of CONTAINER_AMI_PATTERNS) if (pattern.test(image)) return reason;
  return undefined;
}

const CONTAINER_USER_DATA_PATTERNS: readonly [RegExp, string][] = [
  [/\/etc\/eks\/bootstrap\.sh|\bnodeadm\b|node\.eks\.aws/, "its user data joins an EKS cluster"],
  [/ECS_CLUSTER\s*=|\/etc\/ecs\/ecs\.config/, "its user data joins an ECS cluster"],
  [/\bkubeadm\s+join\b|\bk3s\b|\brke2\b/, "its user data joins a Kubernetes cluster"],
  [
    /\b(?:yum|dnf|apt-get|apt|amazon-linux-extras)\s+install\b[^\n]*\bdocker|\bsystemctl\s+(?:start|enable)\s+(?:--now\s+)?docker\b|\bdocker\s+run\b/,
    "its user data installs or runs Docker",
  ],
  [/\bcontainerd\b|\bpodman\s+run\b/, "its user data runs a container runtime"],
];

/** User data (already decoded) that boots a container runtime or joins a cluster. */
export function containerReasonFromUserData(userData: string): string | undefined {
  for (const [pattern, reason] of CONTAINER_USER_DATA_PATTERNS) if (pattern.test(userData)) return reason;
  return undefined;
}

/**
 * AMIs known to be registered with `ImdsSupport: v2.0`: Amazon Linux 2023's public SSM parameters, and
 * the ECS-optimized Amazon Linux 2023 ones (aws/amazon-ecs-ami#248).
 */
export function isKnownImdsV2Image(image: string): boolean {
  return /\/aws\/service\/(ami-amazon-linux-latest\/al2023-ami|ecs\/optimized-ami\/amazon-linux-2023\/)/i.test(
    image,
  );
}

/**
 * A reason that makes the host a Kubernetes node (EKS, eksctl, Karpenter, the cluster autoscaler, a
 * Kubernetes tag or bootstrap): the nodes the `podsNeedImds = false` policy keeps at hop limit 1.
 */
export function isKubernetesReason(reason: string): boolean {
  return /\bEKS\b|kubernetes|karpenter|cluster-autoscaler|eksctl|k3s|kubeadm|rke2/i.test(reason);
}
