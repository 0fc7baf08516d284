output "role_arn" {
  description = "Paste into the step's role-to-assume input."
  value       = aws_iam_role.this.arn
}

output "oidc_provider_arn" {
  description = "The GitHub OIDC provider the role trusts."
  value       = local.oidc_provider_arn
}

output "library_prefix" {
  description = "Where official images are pulled through the cache (null without a cache)."
  value       = local.has_cache ? "${local.account}.dkr.ecr.${local.region}.${data.aws_partition.current.dns_suffix}/${local.cache_prefix}/${local.cache_library_path}" : null
}
