import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  containerReasonFromImage,
  containerReasonFromTags,
  containerReasonFromUserData,
  isKnownImdsV2Image,
  isKubernetesReason,
} from "../../../../server/src/engine/domain/containers";

describe("container host signals", () => {
  it("tags of EKS, Kubernetes, eksctl, the cluster autoscaler and ECS", () => {
    for (const key of [
      "eks:cluster-name",
      "kubernetes.io/cluster/prod",
      "alpha.eksctl.io/nodegroup-name",
      "k8s.io/cluster-autoscaler/enabled",
      "AmazonECSManaged",
    ])
      assert.ok(containerReasonFromTags([[key, "x"]]), key);
    assert.equal(containerReasonFromTags([["Name", "web"]]), undefined);
  });

  it("container-optimized AMIs by SSM parameter", () => {
    assert.match(
      containerReasonFromImage(
        "/aws/service/eks/optimized-ami/1.30/amazon-linux-2023/x86_64/standard/recommended/image_id",
      ) ?? "",
      /EKS/,
    );
    assert.match(
      containerReasonFromImage("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id") ?? "",
      /ECS/,
    );
    assert.match(
      containerReasonFromImage("/aws/service/bottlerocket/aws-k8s-1.30/x86_64/latest/image_id") ?? "",
      /Bottlerocket/,
    );
    assert.equal(containerReasonFromImage("ami-0c1a7f89451184c8b"), undefined);
  });

  it("user data that boots a cluster node or a container runtime", () => {
    assert.match(containerReasonFromUserData("/etc/eks/bootstrap.sh prod") ?? "", /EKS/);
    assert.match(containerReasonFromUserData("echo ECS_CLUSTER=orders >> /etc/ecs/ecs.config") ?? "", /ECS/);
    assert.match(
      containerReasonFromUserData("dnf install -y docker\nsystemctl enable --now docker") ?? "",
      /Docker/,
    );
    assert.equal(containerReasonFromUserData("yum install -y httpd\nsystemctl start httpd"), undefined);
  });

  it("Amazon Linux 2023's public parameters are the AMIs known to be ImdsSupport v2.0", () => {
    assert.ok(isKnownImdsV2Image("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"));
    assert.ok(!isKnownImdsV2Image("/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"));
  });
});

describe("isKubernetesReason", () => {
  it("every Kubernetes signal counts, in any case; ECS and Docker do not", () => {
    for (const key of [
      "eks:cluster-name",
      "kubernetes.io/cluster/prod",
      "alpha.eksctl.io/nodegroup-name",
      "karpenter.sh/nodepool",
    ])
      assert.ok(isKubernetesReason(containerReasonFromTags([[key, "x"]]) ?? ""), key);
    assert.ok(isKubernetesReason(containerReasonFromUserData("/etc/eks/bootstrap.sh prod") ?? ""));
    assert.ok(
      !isKubernetesReason(containerReasonFromUserData("echo ECS_CLUSTER=a >> /etc/ecs/ecs.config") ?? ""),
    );
    assert.ok(!isKubernetesReason(containerReasonFromUserData("docker run app") ?? ""));
  });
});
