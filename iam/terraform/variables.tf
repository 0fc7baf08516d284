variable "github_org" {
  description = "The repository's owner (organization or user), as in github.com/OWNER/REPO."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}$", var.github_org))
    error_message = "github_org must be a GitHub owner name."
  }
}

variable "repository" {
  description = "The repository's name, without the owner."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.repository))
    error_message = "repository must be a repository name without the owner."
  }
}

variable "github_org_id" {
  description = "The owner's numeric ID, for GitHub's immutable subject form repo:OWNER@ID/REPO@ID:... (\"*\" accepts any ID under this owner name)."
  type        = string
  default     = "*"
  validation {
    condition     = can(regex("^(\\*|[0-9]+)$", var.github_org_id))
    error_message = "github_org_id must be \"*\" or a number."
  }
}

variable "repository_id" {
  description = "The repository's numeric ID, for the immutable subject form (\"*\" = any ID)."
  type        = string
  default     = "*"
  validation {
    condition     = can(regex("^(\\*|[0-9]+)$", var.repository_id))
    error_message = "repository_id must be \"*\" or a number."
  }
}

variable "branch" {
  description = "Only jobs on this branch (IAM StringLike: \"release/*\" works). Empty with an empty environment: any branch, tag, environment or pull request of the repository."
  type        = string
  default     = ""
}

variable "environment" {
  description = "Only jobs that run in this GitHub environment (also allowed when branch is set)."
  type        = string
  default     = ""
}

variable "extra_subject_patterns" {
  description = "More sub patterns to trust, e.g. [\"repo:my-org/other:ref:refs/heads/main\"]."
  type        = list(string)
  default     = []
}

variable "oidc_provider_arn" {
  description = "The ARN of the account's existing GitHub OIDC provider (one per account). Empty: the module creates it."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^(|arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com)$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be empty or the ARN of the token.actions.githubusercontent.com provider."
  }
}

variable "role_name" {
  description = "The role's name; its ARN is the role_arn output."
  type        = string
  default     = "ecr-public-pull"
}

variable "cache_upstream" {
  description = "Create an ECR pull-through cache rule for this upstream (none, ecr-public or docker-hub), and let the role pull through it."
  type        = string
  default     = "none"
  validation {
    condition     = contains(["none", "ecr-public", "docker-hub"], var.cache_upstream)
    error_message = "cache_upstream must be none, ecr-public or docker-hub."
  }
}

variable "cache_namespace" {
  description = "The cache's repository prefix (empty = the upstream's name, ecr-public or docker-hub)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^(|[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)$", var.cache_namespace)) && length(var.cache_namespace) != 1 && length(var.cache_namespace) <= 30
    error_message = "cache_namespace must be 2 to 30 characters ECR accepts as a repository prefix."
  }
}

variable "cache_credential_arn" {
  description = "For docker-hub only: the Secrets Manager secret (name starting ecr-pullthroughcache/) holding the Docker Hub username and access token."
  type        = string
  default     = ""
  validation {
    condition     = var.cache_upstream != "docker-hub" || var.cache_credential_arn != ""
    error_message = "A docker-hub cache needs cache_credential_arn (a Secrets Manager secret)."
  }
}
