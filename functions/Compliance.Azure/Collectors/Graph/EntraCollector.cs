using System.Text.Json;
using Compliance.Azure.Collectors.Http;
using Compliance.Core.Snapshots;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Compliance.Azure.Collectors.Graph;

/// <summary>
/// Reads the Entra ID directory through Microsoft Graph (GraphServiceClient and PageIterator, with
/// $select of the fields the rules use) and writes each object in Graph's flat shape with a type
/// "microsoft.graph/&lt;collection&gt;". A collection that cannot be read makes the directory scope
/// an error naming the permission to grant; the other collections are still read.
/// </summary>
internal sealed class EntraCollector(GraphServiceClient client, GraphOptions options)
{
    private static readonly string[] OrganizationFields = ["id", "displayName", "tenantType", "verifiedDomains", "countryLetterCode", "createdDateTime", "onPremisesSyncEnabled", "technicalNotificationMails", "securityComplianceNotificationMails"];
    private static readonly string[] UserFields = ["id", "displayName", "userPrincipalName", "mail", "userType", "accountEnabled", "createdDateTime", "creationType", "externalUserState", "externalUserStateChangeDateTime", "signInActivity"];
    private static readonly string[] RoleAssignmentFields = ["id", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId"];
    private static readonly string[] RoleDefinitionFields = ["id", "displayName", "description", "isBuiltIn", "isEnabled", "templateId", "rolePermissions"];
    private static readonly string[] ApplicationFields = ["id", "appId", "displayName", "createdDateTime", "signInAudience", "publisherDomain", "passwordCredentials", "keyCredentials"];
    private static readonly string[] ServicePrincipalFields = ["id", "appId", "displayName", "servicePrincipalType", "accountEnabled", "appOwnerOrganizationId", "tags", "passwordCredentials", "keyCredentials"];

    /// <summary>
    /// Graph caps pages that include signInActivity at 120 users; asking for that many keeps every
    /// request valid.
    /// </summary>
    private const int SignInActivityPageSize = 120;

    public async Task<EntraOutcome> CollectAsync(CollectionPlan plan, SnapshotWriter writer, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var outcome = new EntraOutcome();
        foreach (var type in plan.UnsupportedGraphTypes)
        {
            errors.Add(CollectionMessages.UnsupportedGraphType(type));
        }

        // The organization first: it names the tenant. The rest run side by side.
        var organization = await TryReadAsync(GraphDataset.Organization, writer, outcome, cancellationToken).ConfigureAwait(false);
        var others = plan.Datasets.Where(d => d != GraphDataset.Organization).Select(d => TryReadAsync(d, writer, outcome, cancellationToken));
        var results = await Task.WhenAll(others).ConfigureAwait(false);
        errors.AddRange(new[] { organization }.Concat(results).OfType<string>());
        outcome.Errors = errors;
        return outcome;
    }

    /// <summary>Reads one dataset; returns the scope error, or null when it was read completely.</summary>
    private async Task<string?> TryReadAsync(GraphDataset dataset, SnapshotWriter writer, EntraOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await ReadAsync(dataset, writer, outcome, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ODataError ex)
        {
            return CollectionMessages.GraphFailed(dataset, ex.ResponseStatusCode, ex.Error?.Code, ErrorBody.Shorten(ex.Error?.Message ?? ex.Message));
        }
        catch (ApiException ex)
        {
            return CollectionMessages.GraphFailed(dataset, ex.ResponseStatusCode, null, ErrorBody.Shorten(ex.Message));
        }
        catch (AzureCallException ex)
        {
            return CollectionMessages.GraphFailed(dataset, ex.Message);
        }
        catch (JsonException ex)
        {
            return CollectionMessages.GraphFailed(dataset, "the response cannot be read: " + ErrorBody.Shorten(ex.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever else went wrong, this collection is incomplete: say so rather than report the directory as read.
            return CollectionMessages.GraphFailed(dataset, $"{ex.GetType().Name}: {ErrorBody.Shorten(ex.Message)}");
        }
    }

    private Task ReadAsync(GraphDataset dataset, SnapshotWriter writer, EntraOutcome outcome, CancellationToken cancellationToken)
    {
        var type = dataset.Type;
        switch (dataset.Collection)
        {
            case "organization":
                return IterateAsync<Organization, OrganizationCollectionResponse>(
                    client.Organization.GetAsync(r => r.QueryParameters.Select = OrganizationFields, cancellationToken),
                    organization =>
                    {
                        outcome.TenantId ??= organization.Id;
                        outcome.DisplayName ??= organization.DisplayName;
                        return organization;
                    },
                    type,
                    writer,
                    cancellationToken);
            case "users":
                return IterateAsync<User, UserCollectionResponse>(
                    client.Users.GetAsync(
                        r =>
                        {
                            r.QueryParameters.Select = UserFields;
                            r.QueryParameters.Top = Math.Min(options.PageSize, SignInActivityPageSize);
                            if (!string.IsNullOrWhiteSpace(options.UserFilter))
                            {
                                r.QueryParameters.Filter = options.UserFilter;
                            }
                        },
                        cancellationToken),
                    null,
                    type,
                    writer,
                    cancellationToken);
            case "userRegistrationDetails":
                return IterateAsync<UserRegistrationDetails, UserRegistrationDetailsCollectionResponse>(
                    client.Reports.AuthenticationMethods.UserRegistrationDetails.GetAsync(null, cancellationToken),
                    null,
                    type,
                    writer,
                    cancellationToken);
            case "conditionalAccessPolicies":
                return IterateAsync<ConditionalAccessPolicy, ConditionalAccessPolicyCollectionResponse>(
                    client.Identity.ConditionalAccess.Policies.GetAsync(null, cancellationToken),
                    null,
                    type,
                    writer,
                    cancellationToken);
            case "roleAssignments":
                return IterateAsync<UnifiedRoleAssignment, UnifiedRoleAssignmentCollectionResponse>(
                    client.RoleManagement.Directory.RoleAssignments.GetAsync(r => r.QueryParameters.Select = RoleAssignmentFields, cancellationToken),
                    null,
                    type,
                    writer,
                    cancellationToken);
            case "roleDefinitions":
                return IterateAsync<UnifiedRoleDefinition, UnifiedRoleDefinitionCollectionResponse>(
                    client.RoleManagement.Directory.RoleDefinitions.GetAsync(r => r.QueryParameters.Select = RoleDefinitionFields, cancellationToken),
                    null,
                    type,
                    writer,
                    cancellationToken);
            case "applications":
                return IterateAsync<Application, ApplicationCollectionResponse>(
                    client.Applications.GetAsync(
                        r =>
                        {
                            r.QueryParameters.Select = ApplicationFields;
                            r.QueryParameters.Top = options.PageSize;
                        },
                        cancellationToken),
                    application =>
                    {
                        ScrubCredentials(application.PasswordCredentials, application.KeyCredentials);
                        return application;
                    },
                    type,
                    writer,
                    cancellationToken);
            case "servicePrincipals":
                return IterateAsync<ServicePrincipal, ServicePrincipalCollectionResponse>(
                    client.ServicePrincipals.GetAsync(
                        r =>
                        {
                            r.QueryParameters.Select = ServicePrincipalFields;
                            r.QueryParameters.Top = options.PageSize;
                        },
                        cancellationToken),
                    principal =>
                    {
                        ScrubCredentials(principal.PasswordCredentials, principal.KeyCredentials);
                        return principal;
                    },
                    type,
                    writer,
                    cancellationToken);
            default:
                throw new InvalidOperationException($"No reader for Graph dataset '{dataset.Collection}'.");
        }
    }

    /// <summary>
    /// Credential metadata only (ids, names, validity dates): never a secret, a secret's hint or
    /// certificate bytes, whatever the API returns.
    /// </summary>
    private static void ScrubCredentials(List<PasswordCredential>? passwords, List<KeyCredential>? keys)
    {
        foreach (var password in passwords ?? [])
        {
            password.SecretText = null;
            password.Hint = null;
        }

        foreach (var key in keys ?? [])
        {
            key.Key = null;
        }
    }

    private async Task IterateAsync<TEntity, TCollection>(
        Task<TCollection?> firstPage,
        Func<TEntity, TEntity>? transform,
        string type,
        SnapshotWriter writer,
        CancellationToken cancellationToken)
        where TEntity : IParsable
        where TCollection : IParsable, IAdditionalDataHolder, new()
    {
        var first = await firstPage.ConfigureAwait(false)
            ?? throw new InvalidDataException("Microsoft Graph returned an empty response");
        var iterator = PageIterator<TEntity, TCollection>.CreatePageIterator(
            client,
            first,
            async item =>
            {
                var entity = transform is null ? item : transform(item);
                await WriteAsync(entity, type, writer, cancellationToken).ConfigureAwait(false);
                return true;
            });
        await iterator.IterateAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteAsync<TEntity>(TEntity entity, string type, SnapshotWriter writer, CancellationToken cancellationToken)
        where TEntity : IParsable
    {
        // All values, not only the changed ones: the backing store sees a deserialized object as unchanged.
        using var stream = KiotaJsonSerializer.SerializeAsStream(entity, serializeOnlyChangedValues: false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        await writer.WriteAsync(document.RootElement, type, SnapshotWriter.TypeMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
