data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.region

  oidc_provider_arn = var.oidc_provider_arn != "" ? var.oidc_provider_arn : aws_iam_openid_connect_provider.github[0].arn

  # Both subject forms: by name, and the immutable one GitHub uses for repositories created since 2026-07-15.
  by_name = "repo:${var.github_org}/${var.repository}"
  by_id   = "repo:${var.github_org}@${var.github_org_id}/${var.repository}@${var.repository_id}"
  any_ref = var.branch == "" && var.environment == ""

  # One statement per kind of subject, in the CloudFormation template's order (for walks keys sorted).
  trust_subjects = {
    AnyRefOfRepository = local.any_ref ? ["${local.by_name}:*", "${local.by_id}:*"] : []
    Branch = var.branch == "" ? [] : [
      "${local.by_name}:ref:refs/heads/${var.branch}",
      "${local.by_id}:ref:refs/heads/${var.branch}",
    ]
    Environment = var.environment == "" ? [] : [
      "${local.by_name}:environment:${var.environment}",
      "${local.by_id}:environment:${var.environment}",
    ]
    ExtraSubjects = var.extra_subject_patterns
  }
  trust_statements = [for sid, subjects in local.trust_subjects : {
    Sid       = sid
    Effect    = "Allow"
    Principal = { Federated = local.oidc_provider_arn }
    Action    = "sts:AssumeRoleWithWebIdentity"
    Condition = {
      StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
      StringLike   = { "token.actions.githubusercontent.com:sub" = subjects }
    }
  } if length(subjects) > 0]

  has_cache          = var.cache_upstream != "none"
  cache_prefix       = var.cache_namespace != "" ? var.cache_namespace : var.cache_upstream
  cache_library_path = var.cache_upstream == "docker-hub" ? "library" : "docker/library"

  permission_statements = concat(
    [{
      # ECR Public's token call also asks STS for a bearer token on the caller's behalf.
      Sid      = "EcrPublicLogin"
      Effect   = "Allow"
      Action   = ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"]
      Resource = "*"
    }],
    local.has_cache ? [{
      Sid      = "EcrPrivateLogin"
      Effect   = "Allow"
      Action   = ["ecr:GetAuthorizationToken"]
      Resource = "*"
    }] : [],
    local.has_cache ? [{
      # A pull that misses the cache creates the repository and imports the image.
      Sid    = "PullThroughCache"
      Effect = "Allow"
      Action = [
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchImportUpstreamImage",
        "ecr:CreateRepository",
      ]
      Resource = "arn:${local.partition}:ecr:${local.region}:${local.account}:repository/${local.cache_prefix}/*"
    }] : [],
  )
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = var.oidc_provider_arn == "" ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "ecr-public-login for GitHub Actions jobs of ${var.github_org}/${var.repository}"
  max_session_duration = 3600
  assume_role_policy   = jsonencode({ Version = "2012-10-17", Statement = local.trust_statements })
}

resource "aws_iam_role_policy" "this" {
  name   = "ecr-public-login"
  role   = aws_iam_role.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.permission_statements })
}

resource "aws_ecr_pull_through_cache_rule" "this" {
  count                 = local.has_cache ? 1 : 0
  ecr_repository_prefix = local.cache_prefix
  upstream_registry_url = var.cache_upstream == "docker-hub" ? "registry-1.docker.io" : "public.ecr.aws"
  credential_arn        = var.cache_credential_arn != "" ? var.cache_credential_arn : null
}
