using MusicSearch.Web.Tests.Hosting;

namespace MusicSearch.Web.Tests.Pages;

/// <summary>The indexing page's editor actions posted as a browser without script would: the Api's answer, in words.</summary>
[Collection(ProductGroup.Name)]
public sealed class IndexingFormsTests(ProductUnderTest stack)
{
    [Fact]
    public async Task Enqueueing_a_folder_outside_the_library_is_refused_with_the_reason()
    {
        using var session = await EditorSession.SignedInAsync(stack.WebAddress);
        var html = await PostAsync(session, "enqueue", "EnqueuePath", "/etc");
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("library root", html);
        Assert.DoesNotContain("data-testid=\"message\"", html);
    }

    [Fact]
    public async Task Reindexing_starts_and_a_bad_model_version_is_explained()
    {
        await using var api = stack.StartEmptyApi();
        await using var web = ProductUnderTest.StartWeb(ProductUnderTest.AddressOf(api.Services));
        using var session = await EditorSession.SignedInAsync(ProductUnderTest.AddressOf(web.Services));

        var started = await PostAsync(session, "reindex", "ModelVersion", "tiny-pipeline-b");
        Assert.Contains("Re-indexing the catalog with tiny-pipeline-b; its collection&#x27;s progress is below.", started);
        Assert.Contains("data-testid=\"current-model\">tiny-pipeline-a<", started);

        var refused = await PostAsync(session, "reindex", "ModelVersion", new string('v', 200));
        Assert.Contains("The Api did not accept that: a model version must be at most 128 characters", refused);
    }

    private static async Task<string> PostAsync(EditorSession session, string form, string field, string value)
    {
        var token = await session.AntiforgeryTokenAsync("indexing");
        using var response = await session.PostFormAsync("indexing", new Dictionary<string, string>
        {
            ["_handler"] = form,
            ["__RequestVerificationToken"] = token,
            [field] = value,
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, html);
        return html;
    }
}
