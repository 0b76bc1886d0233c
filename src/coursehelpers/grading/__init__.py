"""Exercices notés : vérifications en direct, génération des versions élèves, correction en lot."""
