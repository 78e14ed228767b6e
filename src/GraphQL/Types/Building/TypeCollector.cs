namespace MusicSearch.GraphQL.Types;

/// <summary>
/// Orders a schema's types as graphql-js does: each declared type followed, depth first, by the types it refers to
/// and that are not listed yet; then the types directives refer to; then the introspection types. Built-in scalars
/// appear only when something refers to them.
/// </summary>
internal static class TypeCollector
{
    public static List<NamedType> Collect(IEnumerable<NamedType> declared, IEnumerable<DirectiveDefinition> directives, NamedType introspectionRoot)
    {
        var seen = new HashSet<NamedType>();
        var ordered = new List<NamedType>();
        foreach (var type in declared)
        {
            Visit(type, seen, ordered);
        }

        foreach (var argument in directives.SelectMany(directive => directive.Arguments))
        {
            Visit(argument.Type.Named, seen, ordered);
        }

        Visit(introspectionRoot, seen, ordered);
        return ordered;
    }

    private static void Visit(NamedType type, HashSet<NamedType> seen, List<NamedType> ordered)
    {
        if (!seen.Add(type))
        {
            return;
        }

        ordered.Add(type);
        switch (type)
        {
            case UnionType union:
                foreach (var member in union.Types)
                {
                    Visit(member, seen, ordered);
                }

                break;
            case FieldsType fieldsType:
                foreach (var implemented in fieldsType.Interfaces)
                {
                    Visit(implemented, seen, ordered);
                }

                foreach (var field in fieldsType.Fields)
                {
                    Visit(field.Type.Named, seen, ordered);
                    foreach (var argument in field.Arguments)
                    {
                        Visit(argument.Type.Named, seen, ordered);
                    }
                }

                break;
            case InputObjectType inputObject:
                foreach (var field in inputObject.Fields)
                {
                    Visit(field.Type.Named, seen, ordered);
                }

                break;
        }
    }
}
