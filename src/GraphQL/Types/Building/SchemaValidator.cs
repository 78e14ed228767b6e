namespace MusicSearch.GraphQL.Types;

/// <summary>
/// The type system's rules (spec 3, graphql-js validateSchema) checked on a built schema, with graphql-js's messages:
/// names, field and argument types, interface implementation, unions, enums, input objects and their cycles.
/// </summary>
internal sealed class SchemaValidator(Schema schema, List<string> errors)
{
    public void Validate()
    {
        foreach (var directive in schema.Directives.Where(directive => !directive.IsSpecified))
        {
            ValidateName(directive.Name);
            foreach (var argument in directive.Arguments)
            {
                ValidateInputValue(argument, $"@{directive.Name}({argument.Name}:)", "argument");
            }
        }

        foreach (var type in schema.Types)
        {
            var isIntrospection = type.Name.StartsWith("__", StringComparison.Ordinal);
            if (!isIntrospection)
            {
                ValidateName(type.Name);
            }

            switch (type)
            {
                case FieldsType fieldsType:
                    ValidateFields(fieldsType, isIntrospection);
                    ValidateInterfaces(fieldsType);
                    break;
                case UnionType union:
                    ValidateUnion(union);
                    break;
                case EnumType enumType:
                    ValidateEnum(enumType);
                    break;
                case InputObjectType inputObject:
                    ValidateInputObject(inputObject);
                    break;
            }
        }

        new InputObjectCycles(errors).Check(schema.Types.OfType<InputObjectType>());
    }

    /// <summary>Name grammar and the "__" prefix reserved for introspection.</summary>
    public static string? NameError(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return $"Names must start with [_a-zA-Z] but \"{name}\" does not.";
        }

        if (name.Any(character => !(char.IsAsciiLetterOrDigit(character) || character == '_')))
        {
            return $"Names must only contain [_a-zA-Z0-9] but \"{name}\" does not.";
        }

        return name.StartsWith("__", StringComparison.Ordinal)
            ? $"Name \"{name}\" must not begin with \"__\", which is reserved by GraphQL introspection."
            : null;
    }

    private void ValidateName(string name)
    {
        if (NameError(name) is { } error)
        {
            errors.Add(error);
        }
    }

    private void ValidateFields(FieldsType type, bool isIntrospection)
    {
        if (type.Fields.Count == 0)
        {
            errors.Add($"Type {type.Name} must define one or more fields.");
        }

        ReportDuplicates(type.Fields.Select(field => field.Name), name => $"Field \"{type.Name}.{name}\" can only be defined once.");
        foreach (var field in type.Fields)
        {
            if (!isIntrospection)
            {
                ValidateName(field.Name);
            }

            if (!field.Type.IsOutputType)
            {
                errors.Add($"The type of {type.Name}.{field.Name} must be Output Type but got: {field.Type}.");
            }

            ReportDuplicates(field.Arguments.Select(argument => argument.Name),
                name => $"Argument \"{type.Name}.{field.Name}({name}:)\" can only be defined once.");
            foreach (var argument in field.Arguments)
            {
                ValidateInputValue(argument, $"{type.Name}.{field.Name}({argument.Name}:)", "argument", checkName: !isIntrospection);
            }
        }
    }

    private void ValidateInputValue(InputValueDefinition value, string coordinate, string what, bool checkName = true)
    {
        if (checkName)
        {
            ValidateName(value.Name);
        }

        if (!value.Type.IsInputType)
        {
            errors.Add($"The type of {coordinate} must be Input Type but got: {value.Type}.");
        }

        if (value.IsRequired && value.IsDeprecated)
        {
            errors.Add(what == "argument"
                ? $"Required argument {coordinate} cannot be deprecated."
                : $"Required input field {coordinate} cannot be deprecated.");
        }
    }

    private void ValidateInterfaces(FieldsType type)
    {
        var seen = new HashSet<InterfaceType>();
        foreach (var implemented in type.Interfaces)
        {
            if (ReferenceEquals(implemented, type))
            {
                errors.Add($"Type {type.Name} cannot implement itself because it would create a circular reference.");
                continue;
            }

            if (!seen.Add(implemented))
            {
                errors.Add($"Type {type.Name} can only implement {implemented.Name} once.");
                continue;
            }

            foreach (var transitive in implemented.Interfaces.Where(transitive => !type.Interfaces.Contains(transitive)))
            {
                errors.Add(ReferenceEquals(transitive, type)
                    ? $"Type {type.Name} cannot implement {implemented.Name} because it would create a circular reference."
                    : $"Type {type.Name} must implement {transitive.Name} because it is implemented by {implemented.Name}.");
            }

            ValidateImplementation(type, implemented);
        }
    }

    private void ValidateImplementation(FieldsType type, InterfaceType implemented)
    {
        foreach (var interfaceField in implemented.Fields)
        {
            var name = interfaceField.Name;
            if (type.GetField(name) is not { } field)
            {
                errors.Add($"Interface field {implemented.Name}.{name} expected but {type.Name} does not provide it.");
                continue;
            }

            if (!TypeComparators.IsTypeSubTypeOf(schema, field.Type, interfaceField.Type))
            {
                errors.Add($"Interface field {implemented.Name}.{name} expects type {interfaceField.Type} but {type.Name}.{name} is type {field.Type}.");
            }

            foreach (var interfaceArgument in interfaceField.Arguments)
            {
                var argumentName = interfaceArgument.Name;
                if (field.GetArgument(argumentName) is not { } argument)
                {
                    errors.Add($"Interface field argument {implemented.Name}.{name}({argumentName}:) expected but {type.Name}.{name} does not provide it.");
                }
                else if (!TypeComparators.IsEqualType(interfaceArgument.Type, argument.Type))
                {
                    errors.Add($"Interface field argument {implemented.Name}.{name}({argumentName}:) expects type {interfaceArgument.Type} but {type.Name}.{name}({argumentName}:) is type {argument.Type}.");
                }
            }

            foreach (var argument in field.Arguments.Where(argument => argument.IsRequired && interfaceField.GetArgument(argument.Name) is null))
            {
                errors.Add($"Object field {type.Name}.{name} includes required argument {argument.Name} that is missing from the Interface field {implemented.Name}.{name}.");
            }
        }
    }

    private void ValidateUnion(UnionType union)
    {
        if (union.Types.Count == 0)
        {
            errors.Add($"Union type {union.Name} must define one or more member types.");
        }

        ReportDuplicates(union.Types.Select(member => member.Name), name => $"Union type {union.Name} can only include type {name} once.");
    }

    private void ValidateEnum(EnumType enumType)
    {
        if (enumType.Values.Count == 0)
        {
            errors.Add($"Enum type {enumType.Name} must define one or more values.");
        }

        ReportDuplicates(enumType.Values.Select(value => value.Name), name => $"Enum value \"{enumType.Name}.{name}\" can only be defined once.");
        foreach (var value in enumType.Values)
        {
            if (value.Name is "true" or "false" or "null")
            {
                errors.Add($"Enum values cannot be named: {value.Name}");
            }
            else if (!enumType.Name.StartsWith("__", StringComparison.Ordinal))
            {
                ValidateName(value.Name);
            }
        }
    }

    private void ValidateInputObject(InputObjectType inputObject)
    {
        if (inputObject.Fields.Count == 0)
        {
            errors.Add($"Input Object type {inputObject.Name} must define one or more fields.");
        }

        ReportDuplicates(inputObject.Fields.Select(field => field.Name), name => $"Input field \"{inputObject.Name}.{name}\" can only be defined once.");
        foreach (var field in inputObject.Fields)
        {
            ValidateInputValue(field, $"{inputObject.Name}.{field.Name}", "input field");
            if (inputObject.IsOneOf)
            {
                if (field.Type.IsNonNull)
                {
                    errors.Add($"OneOf input field {inputObject.Name}.{field.Name} must be nullable.");
                }

                if (field.HasDefaultValue)
                {
                    errors.Add($"OneOf input field {inputObject.Name}.{field.Name} cannot have a default value.");
                }
            }
        }
    }

    private void ReportDuplicates(IEnumerable<string> names, Func<string, string> message)
    {
        foreach (var name in names.GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            errors.Add(message(name.Key));
        }
    }

    /// <summary>An input object may not require itself through non-null fields: no value of it could ever be written.</summary>
    private sealed class InputObjectCycles(List<string> errors)
    {
        private readonly HashSet<InputObjectType> _visited = [];
        private readonly List<InputValueDefinition> _path = [];
        private readonly Dictionary<InputObjectType, int> _pathIndex = [];

        public void Check(IEnumerable<InputObjectType> types)
        {
            foreach (var type in types)
            {
                Detect(type);
            }
        }

        private void Detect(InputObjectType type)
        {
            if (!_visited.Add(type))
            {
                return;
            }

            _pathIndex[type] = _path.Count;
            foreach (var field in type.Fields)
            {
                if (field.Type is not NonNullType { OfType: InputObjectType fieldType })
                {
                    continue;
                }

                _path.Add(field);
                if (_pathIndex.TryGetValue(fieldType, out var cycleStart))
                {
                    var cycle = string.Join(".", _path.Skip(cycleStart).Select(step => step.Name));
                    errors.Add($"Cannot reference Input Object \"{fieldType.Name}\" within itself through a series of non-null fields: \"{cycle}\".");
                }
                else
                {
                    Detect(fieldType);
                }

                _path.RemoveAt(_path.Count - 1);
            }

            _pathIndex.Remove(type);
        }
    }
}
